package org.crosscheck.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.crosscheck.core.Scheme;

/**
 * Writes one mapping file per extract layout, in the format {@link org.crosscheck.ingest.MappingLoader} reads.
 * Column names and code lists come from {@link LandingZone} and {@link DepartmentCodes}, the same tables the
 * extracts are written from.
 */
final class MappingFiles {
    private MappingFiles() {
    }

    static void write(Path folder) {
        try {
            Files.createDirectories(folder);
            write(folder.resolve("psb_registry_gbk.yaml"), registry());
            write(folder.resolve("agency_enrollment_csv.yaml"), enrollment());
            write(folder.resolve("tax_contributions_gbk.yaml"), contributions());
            write(folder.resolve("gz_benefits_office_csv.yaml"), officePayments());
            write(folder.resolve("platform_benefits_jsonl.yaml"), platformPayments());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write mapping files under " + folder, e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String registry() {
        List<String> h = LandingZone.REGISTRY_HEADER;
        return """
                # Civil registry of the public security bureau: a full extract (HJ_QL_*) and incremental updates
                # (HJ_ZL_*); the record with the latest GXSJ wins per person. GBK, pinyin-initial headers.
                id: psb_registry_gbk
                family: civil_registry
                department: public security bureau, household registration
                files: public_security/HJ_*.csv
                format: csv
                encoding: GBK
                delimiter: ","
                header: true
                quote: '"'
                columns:
                  national_id: %s
                  full_name: %s
                  sex: %s
                  birth_date: %s
                  death_date: %s
                  record_status: %s
                  region: %s
                  updated_at: %s
                formats:
                  birth_date: [yyyyMMdd]
                  death_date: [yyyyMMdd, yyyyMM, yyyy]
                  updated_at: [yyyyMMddHHmmss]
                codes:
                  # GB/T 2261.1
                  sex: {"1": M, "2": F, "0": U, "9": U}
                  # ZXBZ: 0 alive, 1 deceased, 2 death record cancelled
                  record_status: {"0": alive, "1": deceased, "2": cancelled}
                """.formatted(h.get(0), h.get(1), h.get(2), h.get(3), h.get(4), h.get(5), h.get(6), h.get(7));
    }

    private static String enrollment() {
        List<String> h = LandingZone.ENROLLMENT_HEADER;
        return """
                # Enrollment register of the social insurance agency. UTF-8, English headers, schemes as the
                # official 3-digit insurance-type codes; an empty coverage_end means the coverage is open.
                id: agency_enrollment_csv
                family: enrollment
                department: social insurance agency
                files: insurance_agency/enrollment_*.csv
                format: csv
                encoding: UTF-8
                delimiter: ","
                header: true
                quote: '"'
                columns:
                  national_id: %s
                  full_name: %s
                  scheme: %s
                  region: %s
                  employer_id: %s
                  coverage_start: %s
                  coverage_end: %s
                formats:
                  coverage_start: [yyyy-MM-dd]
                  coverage_end: [yyyy-MM-dd]
                codes:
                  scheme: %s
                """.formatted(h.get(0), h.get(1), h.get(2), h.get(3), h.get(4), h.get(5), h.get(6), officialSchemes());
    }

    private static String contributions() {
        List<String> h = LandingZone.CONTRIBUTION_HEADER;
        return """
                # Monthly contributions collected by the tax bureau. GBK, pipe-delimited, pinyin-initial headers,
                # contribution month as yyyyMM, amounts without thousands separator.
                id: tax_contributions_gbk
                family: contribution
                department: tax bureau, social insurance contributions
                files: tax_bureau/JF_*.csv
                format: csv
                encoding: GBK
                delimiter: "%s"
                header: true
                quote: '"'
                columns:
                  national_id: %s
                  scheme: %s
                  employer_id: %s
                  region: %s
                  contribution_month: %s
                  contribution_base: %s
                  employee_amount: %s
                  employer_amount: %s
                formats:
                  contribution_month: [yyyyMM]
                codes:
                  scheme: %s
                decimal:
                  separator: "."
                  grouping: ""
                """.formatted(LandingZone.CONTRIBUTION_DELIMITER, h.get(0), h.get(1), h.get(2), h.get(3), h.get(4),
                h.get(5), h.get(6), h.get(7), officialSchemes());
    }

    private static String officePayments() {
        List<String> h = LandingZone.OFFICE_HEADER;
        return """
                # Benefit payments of the Guangzhou benefits office (regions 440106, 440104, 440111). UTF-8, English
                # headers, dates yyyy-MM-dd, amounts like "1,234.50", schemes and benefits as office code words.
                id: gz_benefits_office_csv
                family: benefit_payment
                department: Guangzhou benefits office
                files: benefits_office/gz_payments_*.csv
                format: csv
                encoding: UTF-8
                delimiter: ","
                header: true
                quote: '"'
                columns:
                  payment_id: %s
                  national_id: %s
                  payee_name: %s
                  scheme: %s
                  benefit_type: %s
                  region: %s
                  period_start: %s
                  period_end: %s
                  payment_date: %s
                  amount: %s
                  bank_account: %s
                  event_date: %s
                formats:
                  period_start: [yyyy-MM-dd]
                  period_end: [yyyy-MM-dd]
                  payment_date: [yyyy-MM-dd]
                  event_date: [yyyy-MM-dd]
                codes:
                  scheme: %s
                  benefit_type: %s
                decimal:
                  separator: "."
                  grouping: ","
                """.formatted(h.get(0), h.get(1), h.get(2), h.get(3), h.get(4), h.get(5), h.get(6), h.get(7),
                h.get(8), h.get(9), h.get(10), h.get(11), inverse(DepartmentCodes.OFFICE_SCHEMES),
                inverse(DepartmentCodes.OFFICE_BENEFITS));
    }

    private static String platformPayments() {
        List<String> k = LandingZone.PLATFORM_KEYS;
        return """
                # Benefit payments exported by the provincial platform for regions 310104 and 110105: JSON lines
                # (one object per line, UTF-8), dates yyyyMMdd, amounts as strings without separator, schemes as
                # official insurance-type codes, benefits as two-digit codes; accident_date is null when not a claim.
                id: platform_benefits_jsonl
                family: benefit_payment
                department: provincial benefits platform
                files: benefits_office/platform_payments_*.jsonl
                format: json
                encoding: UTF-8
                columns:
                  payment_id: %s
                  national_id: %s
                  payee_name: %s
                  scheme: %s
                  benefit_type: %s
                  region: %s
                  period_start: %s
                  period_end: %s
                  payment_date: %s
                  amount: %s
                  bank_account: %s
                  event_date: %s
                formats:
                  period_start: [yyyyMMdd]
                  period_end: [yyyyMMdd]
                  payment_date: [yyyyMMdd]
                  event_date: [yyyyMMdd]
                codes:
                  scheme: %s
                  benefit_type: %s
                decimal:
                  separator: "."
                  grouping: ""
                """.formatted(k.get(0), k.get(1), k.get(2), k.get(3), k.get(4), k.get(5), k.get(6), k.get(7),
                k.get(8), k.get(9), k.get(10), k.get(11), officialSchemes(),
                inverse(DepartmentCodes.PLATFORM_BENEFITS));
    }

    /** {"110": employee_pension, ...} */
    private static String officialSchemes() {
        StringBuilder sb = new StringBuilder("{");
        for (Scheme s : Scheme.values()) {
            sb.append(sb.length() > 1 ? ", " : "").append('"').append(s.officialCode).append("\": ").append(s.code());
        }
        return sb.append('}').toString();
    }

    /** Department code to canonical value, from a canonical-to-code table. */
    private static String inverse(Map<?, String> canonicalToCode) {
        StringBuilder sb = new StringBuilder("{");
        canonicalToCode.forEach((canonical, code) -> sb.append(sb.length() > 1 ? ", " : "").append('"').append(code)
                .append("\": ").append(canonical instanceof Scheme s ? s.code() : canonical));
        return sb.append('}').toString();
    }
}
