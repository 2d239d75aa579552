package org.crosscheck.screen;

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
        String csv = "\uFEFFexception_id,rule_id,status,reviewer,review_note\r\n"
                + "a1,r,confirmed,,\"多行\r\n备注, 含逗号\"\r\n"
                + "a2,r, Dismissed ,王芳,'=1+1\r\n";
        List<ReviewFile.Line> lines = ReviewFile.read(write("x.csv", csv.getBytes(StandardCharsets.UTF_8))).lines();
        assertEquals(2, lines.size());
        assertEquals(new ReviewFile.Line(null, 2, "a1", "confirmed", "多行\r\n备注, 含逗号", ""), lines.get(0));
        assertEquals(3, lines.get(1).row());
        assertEquals(" Dismissed ", lines.get(1).status());
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
    }

    @Test
    void fileWithoutAStatusColumnIsBadInputNamingTheFile() throws IOException {
        Path f = write("z.csv", "exception_id,note\r\na,b\r\n".getBytes(StandardCharsets.UTF_8));
        CrossCheckException e = assertThrows(CrossCheckException.class, () -> ReviewFile.read(f));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertEquals(true, e.getMessage().contains("z.csv") && e.getMessage().contains("status"));
    }
}
