package org.crosscheck.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Evidence as a risk officer reads it; no Spark. */
class EvidenceTextTest {
    @Test
    void recordsBecomeOneReadableLineEachWithFileNameAndLineNotTheMachinePath() {
        String json = "[{\"table\":\"civil_registry\",\"national_id\":\"110101195001011234\",\"death_date\":\"2025-03-15\","
                + "\"death_date_precision\":\"day\",\"source_file\":\"/srv/landing/public_security/HJ_QL_20251231.csv\","
                + "\"record_number\":42},"
                + "{\"table\":\"benefit_payment\",\"period_start\":\"2025-04-01\",\"period_end\":\"2025-04-30\","
                + "\"payment_id\":\"P00012\",\"payment_date\":\"2025-05-05\",\"amount\":3120.5,\"region\":\"440106\","
                + "\"source_file\":\"file:/srv/landing/benefits_office/ZF_202505.csv\",\"record_number\":17}]";
        assertEquals("civil registry record: national id 110101195001011234, death date 2025-03-15, death date "
                        + "precision day (HJ_QL_20251231.csv line 42)\n"
                        + "payment P00012: period 2025-04-01..2025-04-30, paid 2025-05-05, amount 3,120.50, region 440106 "
                        + "(ZF_202505.csv line 17)",
                EvidenceText.lines(json));
    }

    @Test
    void textThatIsNotEvidenceJsonIsKeptAsItIs() {
        assertEquals("free text", EvidenceText.lines("free text"));
        assertEquals("", EvidenceText.lines(null));
    }
}
