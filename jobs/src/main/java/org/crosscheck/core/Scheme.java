package org.crosscheck.core;

import java.util.Arrays;
import java.util.Optional;

/**
 * Canonical insurance schemes. The canonical value stored in every table is {@link #code()} (lower-case);
 * {@link #officialCode} is the insurance-type code of the national social-insurance data standard
 * (险种类型), which many departments deliver directly.
 */
public enum Scheme {
    EMPLOYEE_PENSION("110", "企业职工基本养老保险", "employee pension"),
    URBAN_RURAL_RESIDENT_PENSION("170", "城乡居民基本养老保险", "urban-rural resident pension"),
    UNEMPLOYMENT("210", "失业保险", "unemployment insurance"),
    MEDICAL("310", "职工基本医疗保险", "medical insurance"),
    WORK_INJURY("410", "工伤保险", "work-injury insurance"),
    MATERNITY("510", "生育保险", "maternity insurance"),
    LONG_TERM_CARE("610", "长期护理保险", "long-term care insurance");

    public final String officialCode;
    public final String chineseName;
    public final String englishName;

    Scheme(String officialCode, String chineseName, String englishName) {
        this.officialCode = officialCode;
        this.chineseName = chineseName;
        this.englishName = englishName;
    }

    /** The canonical value as stored in cleaned tables, e.g. {@code employee_pension}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<Scheme> fromCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(s -> s.code().equals(code) || s.officialCode.equals(code)).findFirst();
    }
}
