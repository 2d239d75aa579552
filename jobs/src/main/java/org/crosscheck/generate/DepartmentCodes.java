package org.crosscheck.generate;

import java.util.LinkedHashMap;
import java.util.Map;

import org.crosscheck.core.Scheme;

/**
 * The code lists departments use in their extracts. The generator writes these codes and the mapping files
 * translate them back, both from the tables here, so the two cannot drift apart.
 */
final class DepartmentCodes {
    /** Benefit types used in the sample data (canonical values). */
    static final String BASIC_PENSION = "basic_pension";
    static final String UNEMPLOYMENT_BENEFIT = "unemployment_benefit";
    static final String INJURY_ALLOWANCE = "injury_allowance";

    /** Guangzhou benefits office: scheme code words. */
    static final Map<Scheme, String> OFFICE_SCHEMES = ordered(
            Scheme.EMPLOYEE_PENSION, "PENSION_EMP",
            Scheme.URBAN_RURAL_RESIDENT_PENSION, "PENSION_RES",
            Scheme.UNEMPLOYMENT, "UNEMP",
            Scheme.MEDICAL, "MEDICAL",
            Scheme.WORK_INJURY, "INJURY",
            Scheme.MATERNITY, "MATERNITY",
            Scheme.LONG_TERM_CARE, "LTC");

    /** Guangzhou benefits office: benefit code words to canonical benefit types. */
    static final Map<String, String> OFFICE_BENEFITS = ordered(
            BASIC_PENSION, "BASIC",
            UNEMPLOYMENT_BENEFIT, "UB",
            INJURY_ALLOWANCE, "IA",
            "medical_reimbursement", "MR",
            "maternity_allowance", "MA",
            "care_allowance", "CA",
            "funeral_grant", "FG");

    /** Provincial platform (JSON): two-digit benefit codes. */
    static final Map<String, String> PLATFORM_BENEFITS = ordered(
            BASIC_PENSION, "01",
            UNEMPLOYMENT_BENEFIT, "02",
            INJURY_ALLOWANCE, "03",
            "medical_reimbursement", "04",
            "maternity_allowance", "05",
            "care_allowance", "06",
            "funeral_grant", "07");

    private DepartmentCodes() {
    }

    @SuppressWarnings("unchecked")
    private static <K> Map<K, String> ordered(Object... pairs) {
        Map<K, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((K) pairs[i], (String) pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
