package org.crosscheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The production logback.xml (not the tests' one): levels, the silenced Spark warnings, the JSON format. */
class LoggingConfigurationTest {
    private static String logWith(String format) throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        try {
            if (format != null) {
                ctx.putProperty("CROSSCHECK_LOG_FORMAT", format);
            }
            JoranConfigurator c = new JoranConfigurator();
            c.setContext(ctx);
            c.doConfigure(LoggingConfigurationTest.class.getResource("/logback.xml"));
            ctx.getLogger("org.crosscheck.cli.StageCommand").info("run {} ended with exit code {}", "R1", 5);
            ctx.getLogger("org.apache.spark.sql.catalyst.util.StringUtils$PlanStringConcat").warn("Truncated the string");
            ctx.getLogger("org.apache.spark.rdd.MapPartitionsRDD").warn("RDD 12 was locally checkpointed");
            assertEquals(Level.INFO, ctx.getLogger("org.crosscheck").getEffectiveLevel());
        } finally {
            ctx.stop();
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void textByDefaultWithTheExitLineAndWithoutSparksNoise() throws Exception {
        String out = logWith(null);
        assertTrue(out.contains("INFO  StageCommand - run R1 ended with exit code 5"), out);
        assertFalse(out.contains("Truncated") || out.contains("locally checkpointed"), out);
    }

    @Test
    void jsonLinesForLogShippers() throws Exception {
        String out = logWith("json").strip();
        assertEquals(1, out.lines().count(), out);
        JsonNode line = new ObjectMapper().readTree(out);
        assertEquals("INFO", line.get("level").asText());
        assertEquals("org.crosscheck.cli.StageCommand", line.get("loggerName").asText());
        assertEquals("run R1 ended with exit code 5", line.get("formattedMessage").asText());
    }
}
