package org.crosscheck.generate;

import org.crosscheck.core.SourceFamily;

/**
 * A deliberately bad (or merely unusual) row written for validation to catch, with the outcome validation should
 * reach: {@code quarantine}, {@code warn}, or {@code clean} (the value is valid after normalisation).
 * Each defect is applied to one row of one person of the given {@link Target} kind.
 */
enum Defect {
    REGISTRY_INVALID_CHECKSUM(SourceFamily.CIVIL_REGISTRY, Target.DEAD_BEFORE_PERIOD, "quarantine", "invalid_id_checksum",
            "GMSFHM has a wrong check character"),
    REGISTRY_DEATH_BEFORE_BIRTH(SourceFamily.CIVIL_REGISTRY, Target.DEAD_BEFORE_PERIOD, "quarantine", "death_before_birth",
            "SWRQ (death date) is before CSRQ (birth date)"),
    REGISTRY_UNPARSEABLE_BIRTH(SourceFamily.CIVIL_REGISTRY, Target.DEAD_BEFORE_PERIOD, "quarantine", "unparseable_date",
            "CSRQ (birth date) has month 13 and day 45"),
    REGISTRY_FULL_WIDTH_ID(SourceFamily.CIVIL_REGISTRY, Target.UNINSURED, "clean", "full_width_digits",
            "GMSFHM written in full-width digits; a valid id after NFKC normalisation"),
    ENROLLMENT_UNKNOWN_SCHEME(SourceFamily.ENROLLMENT, Target.WORKER, "quarantine", "unknown_code",
            "extra row with insurance_type 999, which is not in the code list"),
    ENROLLMENT_UNPARSEABLE_DATE(SourceFamily.ENROLLMENT, Target.WORKER, "quarantine", "unparseable_date",
            "medical enrollment with coverage_start 'abc'"),
    ENROLLMENT_EMPTY_START(SourceFamily.ENROLLMENT, Target.WORKER, "quarantine", "required_field_missing",
            "medical enrollment with an empty coverage_start (part of the business key)"),
    ENROLLMENT_LOWER_X(SourceFamily.ENROLLMENT, Target.WORKER_X, "warn", "id_lower_case_x",
            "medical enrollment with national_id ending in lower-case x; valid after upper-casing"),
    CONTRIBUTION_TOO_FEW_FIELDS(SourceFamily.CONTRIBUTION, Target.WORKER, "quarantine", "malformed_row",
            "medical contribution row with 7 fields where the header has 8 (DWJF missing)"),
    CONTRIBUTION_BLANK_MONTH(SourceFamily.CONTRIBUTION, Target.WORKER, "quarantine", "required_field_missing",
            "medical contribution row whose JFNY (contribution month) is whitespace only"),
    CONTRIBUTION_UNPARSEABLE_MONTH(SourceFamily.CONTRIBUTION, Target.WORKER, "quarantine", "unparseable_date",
            "medical contribution row whose JFNY (contribution month) has month 13"),
    PAYMENT_INVALID_CHECKSUM(SourceFamily.BENEFIT_PAYMENT, Target.RETIREE_CSV, "quarantine", "invalid_id_checksum",
            "id_number has a wrong check character"),
    PAYMENT_LOWER_X(SourceFamily.BENEFIT_PAYMENT, Target.RETIREE_CSV_X, "warn", "id_lower_case_x",
            "id_number ends in lower-case x; valid after upper-casing"),
    PAYMENT_UNPARSEABLE_DATE(SourceFamily.BENEFIT_PAYMENT, Target.RETIREE_CSV, "quarantine", "unparseable_date",
            "paid_on is '2025-13-45'"),
    PAYMENT_MONTH_ONLY_DATE(SourceFamily.BENEFIT_PAYMENT, Target.RETIREE_CSV, "quarantine", "date_without_day",
            "paid_on is month-only (yyyyMM) where a day is required"),
    PAYMENT_UNKNOWN_SCHEME(SourceFamily.BENEFIT_PAYMENT, Target.RETIREE_CSV, "quarantine", "unknown_code",
            "scheme 'PENSION_X' is not in the code list"),
    PAYMENT_EMPTY_ID(SourceFamily.BENEFIT_PAYMENT, Target.RETIREE_CSV, "quarantine", "required_field_missing",
            "id_number is empty"),
    PAYMENT_BLANK_DATE(SourceFamily.BENEFIT_PAYMENT, Target.RETIREE_CSV, "quarantine", "required_field_missing",
            "paid_on is whitespace only"),
    PAYMENT_FULL_WIDTH_ID(SourceFamily.BENEFIT_PAYMENT, Target.RETIREE_CSV, "clean", "full_width_digits",
            "id_number written in full-width digits; a valid id after NFKC normalisation"),
    PAYMENT_FULL_WIDTH_AMOUNT(SourceFamily.BENEFIT_PAYMENT, Target.RETIREE_CSV, "clean", "full_width_digits",
            "amount written in full-width digits; a valid amount after NFKC normalisation"),
    PAYMENT_TOO_MANY_FIELDS(SourceFamily.BENEFIT_PAYMENT, Target.RETIREE_CSV, "quarantine", "malformed_row",
            "row has 13 fields where the header has 12"),
    PAYMENT_EXACT_DUPLICATE(SourceFamily.BENEFIT_PAYMENT, Target.RETIREE_CSV, "warn", "exact_duplicate",
            "the same line delivered twice (identical content); keep one"),
    PAYMENT_KEY_CONFLICT(SourceFamily.BENEFIT_PAYMENT, Target.RETIREE_CSV, "quarantine", "duplicate_key_conflict",
            "payment_no delivered twice with different amounts"),
    PAYMENT_NEGATIVE_AMOUNT(SourceFamily.BENEFIT_PAYMENT, Target.RETIREE_CSV, "quarantine", "amount_not_positive",
            "amount is negative"),
    PAYMENT_ZERO_AMOUNT(SourceFamily.BENEFIT_PAYMENT, Target.RETIREE_CSV, "quarantine", "amount_not_positive",
            "amount is zero"),
    PLATFORM_FULL_WIDTH_AMOUNT(SourceFamily.BENEFIT_PAYMENT, Target.RETIREE_JSON, "clean", "full_width_digits",
            "JSON amount written in full-width digits; a valid amount after NFKC normalisation"),
    PLATFORM_UNPARSEABLE_DATE(SourceFamily.BENEFIT_PAYMENT, Target.RETIREE_JSON, "quarantine", "unparseable_date",
            "JSON pay_date is 'abc'");

    /** Which kind of normal person can carry the defect without side effects on screening. */
    enum Target {
        /** died before 2024; appears only in the registry */
        DEAD_BEFORE_PERIOD,
        /** alive, in no scheme */
        UNINSURED,
        /** employed all period, no injury claim, not dying */
        WORKER,
        /** a {@link #WORKER} whose identity number ends in X */
        WORKER_X,
        /** pensioner paid through the CSV office, alive all period */
        RETIREE_CSV,
        /** a {@link #RETIREE_CSV} whose identity number ends in X */
        RETIREE_CSV_X,
        /** pensioner paid through the JSON platform, alive all period */
        RETIREE_JSON
    }

    final SourceFamily family;
    final Target target;
    final String expected;
    final String check;
    final String description;

    Defect(SourceFamily family, Target target, String expected, String check, String description) {
        this.family = family;
        this.target = target;
        this.expected = expected;
        this.check = check;
        this.description = description;
    }
}
