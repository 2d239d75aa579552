package org.crosscheck.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading edited exports; no Spark. */
class ReviewFileTest {
    @TempDir
    static Path scratch;


    private static Path write(String name, byte[] bytes) throws IOException {
        Path dir = Files.createTempDirectory(scratch, "crosscheck-reviewfile-");
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void csvWithBomQuotedNewlinesAndChineseIsReadWithSpreadsheetRowNumbers() throws IOException {
        String csv = "\uFEFFexception_id,revision,rule_id,disposition,disposition_reason,reviewer,review_note,assignee\r\n"
                + "a1,3,r,confirmed,,,\"多行\r\n备注, 含逗号\",\r\n"
                + "a2,0,r, Dismissed ,twins,王芳,'=1+1,zhao\r\n";
        List<ReviewFile.Line> lines = ReviewFile.read(write("x.csv", csv.getBytes(StandardCharsets.UTF_8))).lines();
        assertEquals(2, lines.size());
        ReviewFile.Line first = lines.get(0);
        assertEquals(2, first.row());
        assertEquals("a1", first.exceptionId());
        assertEquals("3", first.revision());
        assertEquals("confirmed", first.disposition());
        assertEquals("多行\r\n备注, 含逗号", first.note());
        assertEquals(true, first.columns().hasRevision() && first.columns().hasReason() && first.columns().hasAssignee());
        assertEquals(3, lines.get(1).row());
        assertEquals(" Dismissed ", lines.get(1).disposition());
        assertEquals("twins", lines.get(1).reason());
        assertEquals("zhao", lines.get(1).assignee());
        assertEquals("王芳", lines.get(1).reviewer());
        assertEquals("=1+1", lines.get(1).note(), "the export's formula guard is taken off");
    }

    @Test
    void csvResavedByExcelInGb18030WithSemicolonsIsReadToo() throws IOException {
        String csv = "exception_id;status;review_note\r\nb1;dismissed;双胞胎，不是同一人\r\n";
        List<ReviewFile.Line> lines = ReviewFile.read(write("y.csv", csv.getBytes(Charset.forName("GB18030"))))
                .lines();
        assertEquals("双胞胎，不是同一人", lines.get(0).note());
        assertNull(lines.get(0).reviewer());
        assertEquals("dismissed", lines.get(0).disposition(), "an export from before dispositions: status is read");
        assertEquals(false, lines.get(0).columns().hasRevision());
    }

    @Test
    void fileWithoutADispositionColumnIsBadInputNamingTheFile() throws IOException {
        Path f = write("z.csv", "exception_id,note\r\na,b\r\n".getBytes(StandardCharsets.UTF_8));
        CrossCheckException e = assertThrows(CrossCheckException.class, () -> ReviewFile.read(f));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertEquals(true, e.getMessage().contains("z.csv") && e.getMessage().contains("disposition"));
    }
}
