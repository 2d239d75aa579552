package org.crosscheck.generate;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The extract files of all departments under {@code landing/}, written row by row through buffered writers, so
 * memory stays flat whatever the population. Every write method returns the key as delivered (the national id,
 * or the payment id it assigned) so quality truth rows can name the row.
 */
final class LandingZone implements Closeable {
    static final Charset GBK = Charset.forName("GBK");

    static final String REGISTRY_BASE = "public_security/HJ_QL_20251201.csv";
    static final String REGISTRY_UPDATE = "public_security/HJ_ZL_20260105.csv";
    static final String ENROLLMENT = "insurance_agency/enrollment_20251231.csv";
    static final String CONTRIBUTIONS = "tax_bureau/JF_%d.csv";
    static final String OFFICE_PAYMENTS = "benefits_office/gz_payments_%d.csv";
    static final String PLATFORM_PAYMENTS = "benefits_office/platform_payments_%d.jsonl";

    static final List<String> REGISTRY_HEADER = List.of("GMSFHM", "XM", "XB", "CSRQ", "SWRQ", "ZXBZ", "DJDQ", "GXSJ");
    static final List<String> ENROLLMENT_HEADER = List.of("national_id", "name", "insurance_type", "region_code",
            "employer_id", "coverage_start", "coverage_end");
    static final char CONTRIBUTION_DELIMITER = '|';
    static final List<String> CONTRIBUTION_HEADER = List.of("SFZHM", "XZDM", "DWBH", "JFDQ", "JFNY", "JFJS", "GRJF",
            "DWJF");
    static final List<String> OFFICE_HEADER = List.of("payment_no", "id_number", "payee_name", "scheme", "benefit",
            "region", "period_from", "period_to", "paid_on", "amount", "bank_account", "accident_date");
    static final List<String> PLATFORM_KEYS = List.of("txn_id", "id_no", "name", "insurance_type", "benefit_code",
            "area_code", "period_begin", "period_end", "pay_date", "amount", "account_no", "accident_date");

    private static final int[] YEARS = {2024, 2025};

    private final Map<String, Extract> extracts = new LinkedHashMap<>();
    private final Map<String, Extract[]> yearly = new java.util.HashMap<>();
    private long officeSequence;
    private long platformSequence;

    private static final class Extract {
        final Writer writer;
        final char delimiter;
        long rows;

        Extract(Writer writer, char delimiter) {
            this.writer = writer;
            this.delimiter = delimiter;
        }
    }

    LandingZone(Path landing) {
        open(landing, REGISTRY_BASE, GBK, ',', REGISTRY_HEADER);
        open(landing, REGISTRY_UPDATE, GBK, ',', REGISTRY_HEADER);
        open(landing, ENROLLMENT, StandardCharsets.UTF_8, ',', ENROLLMENT_HEADER);
        for (int year : YEARS) {
            open(landing, String.format(CONTRIBUTIONS, year), GBK, CONTRIBUTION_DELIMITER, CONTRIBUTION_HEADER);
        }
        for (int year : YEARS) {
            open(landing, String.format(OFFICE_PAYMENTS, year), StandardCharsets.UTF_8, ',', OFFICE_HEADER);
        }
        for (int year : YEARS) {
            open(landing, String.format(PLATFORM_PAYMENTS, year), StandardCharsets.UTF_8, ',', null);
        }
        for (String pattern : List.of(CONTRIBUTIONS, OFFICE_PAYMENTS, PLATFORM_PAYMENTS)) {
            Extract[] years = new Extract[YEARS.length];
            for (int i = 0; i < YEARS.length; i++) {
                years[i] = extracts.get(String.format(pattern, YEARS[i]));
            }
            yearly.put(pattern, years);
        }
    }

    private void open(Path landing, String relative, Charset charset, char delimiter, List<String> header) {
        try {
            Path file = landing.resolve(relative);
            Files.createDirectories(file.getParent());
            OutputStream out = Files.newOutputStream(file);
            // REPORT: a character the department's encoding cannot hold is a generator bug, not a '?' in the data
            Writer w = new BufferedWriter(new OutputStreamWriter(out, charset.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
            Extract e = new Extract(w, delimiter);
            extracts.put(relative, e);
            if (header != null) {
                writeFields(e, header.toArray(new String[0]));
                e.rows = 0;
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot create " + relative + " under " + landing, ex);
        }
    }

    /** Data rows written per file (header lines not counted), in a fixed order. */
    Map<String, Long> rowsPerFile() {
        Map<String, Long> m = new LinkedHashMap<>();
        extracts.forEach((k, v) -> m.put(k, v.rows));
        return m;
    }

    String registry(RegistryRecord r, boolean update, Defect defect) {
        String[] f = {r.nationalId(), r.name(), r.sexCode(), r.birth(), r.death(), r.statusCode(), r.region(),
                FieldText.compact(r.updatedAt())};
        if (defect != null) {
            switch (defect) {
                case REGISTRY_INVALID_CHECKSUM -> f[0] = FieldText.wrongCheckCharacter(f[0]);
                case REGISTRY_FULL_WIDTH_ID -> f[0] = FieldText.fullWidthDigits(f[0]);
                case REGISTRY_DEATH_BEFORE_BIRTH, REGISTRY_UNPARSEABLE_BIRTH -> {
                    // already in the record's values
                }
                default -> throw new IllegalArgumentException(defect + " does not apply to registry rows");
            }
        }
        writeFields(extracts.get(update ? REGISTRY_UPDATE : REGISTRY_BASE), f);
        return f[0];
    }

    String enrollment(Enrollment e, Defect defect) {
        String[] f = {e.person().nationalId(), e.person().name(), e.scheme().officialCode, e.region(),
                e.employerId() == null ? "" : e.employerId(), FieldText.iso(e.start()), FieldText.iso(e.end())};
        if (defect != null) {
            switch (defect) {
                case ENROLLMENT_UNKNOWN_SCHEME -> f[2] = "999";
                case ENROLLMENT_UNPARSEABLE_DATE -> f[5] = "abc";
                case ENROLLMENT_EMPTY_START -> f[5] = "";
                case ENROLLMENT_LOWER_X -> f[0] = f[0].toLowerCase(java.util.Locale.ROOT);
                default -> throw new IllegalArgumentException(defect + " does not apply to enrollment rows");
            }
        }
        writeFields(extracts.get(ENROLLMENT), f);
        return f[0];
    }

    String contribution(Contribution c, Defect defect) {
        String[] f = {c.person().nationalId(), c.scheme().officialCode, c.employerId(), c.region(),
                FieldText.compact(c.month()), FieldText.amount(c.baseCents(), false),
                FieldText.amount(c.employeeCents(), false), FieldText.amount(c.employerCents(), false)};
        if (defect != null) {
            switch (defect) {
                case CONTRIBUTION_TOO_FEW_FIELDS -> f = java.util.Arrays.copyOf(f, f.length - 1);
                case CONTRIBUTION_BLANK_MONTH -> f[4] = "   ";
                case CONTRIBUTION_UNPARSEABLE_MONTH -> f[4] = c.month().getYear() + "13";
                default -> throw new IllegalArgumentException(defect + " does not apply to contribution rows");
            }
        }
        writeFields(byYear(CONTRIBUTIONS, c.month().getYear()), f);
        return f[0];
    }

    /** Writes a payment and returns the payment id it was given. */
    String payment(Payment p, Defect defect) {
        return StudyPeriod.paidByCsvOffice(p.region()) ? officePayment(p, defect) : platformPayment(p, defect);
    }

    private String officePayment(Payment p, Defect defect) {
        String id = "GZP" + IdentityPool.pad(++officeSequence, 9);
        String[] f = {id, p.payee().nationalId(), p.payee().name(), DepartmentCodes.OFFICE_SCHEMES.get(p.scheme()),
                DepartmentCodes.OFFICE_BENEFITS.get(p.benefitType()), p.region(), FieldText.iso(p.periodStart()),
                FieldText.iso(p.periodEnd()), FieldText.iso(p.paymentDate()), FieldText.amount(p.cents(), true),
                p.bankAccount(), FieldText.iso(p.eventDate())};
        Extract out = byYear(OFFICE_PAYMENTS, p.periodStart().getYear());
        List<String[]> lines = new ArrayList<>(2);
        lines.add(f);
        if (defect != null) {
            switch (defect) {
                case PAYMENT_INVALID_CHECKSUM -> f[1] = FieldText.wrongCheckCharacter(f[1]);
                case PAYMENT_LOWER_X -> f[1] = f[1].toLowerCase(java.util.Locale.ROOT);
                case PAYMENT_UNPARSEABLE_DATE -> f[8] = "2025-13-45";
                case PAYMENT_MONTH_ONLY_DATE -> f[8] = FieldText.compact(p.month());
                case PAYMENT_UNKNOWN_SCHEME -> f[3] = "PENSION_X";
                case PAYMENT_EMPTY_ID -> f[1] = "";
                case PAYMENT_BLANK_DATE -> f[8] = "  ";
                case PAYMENT_FULL_WIDTH_ID -> f[1] = FieldText.fullWidthDigits(f[1]);
                case PAYMENT_FULL_WIDTH_AMOUNT -> f[9] = FieldText.fullWidthDigits(f[9]);
                case PAYMENT_TOO_MANY_FIELDS -> lines.set(0, append(f, "REISSUE"));
                case PAYMENT_EXACT_DUPLICATE -> lines.add(f.clone());
                case PAYMENT_KEY_CONFLICT -> {
                    String[] second = f.clone();
                    second[9] = FieldText.amount(p.cents() + 10_000, true);
                    lines.add(second);
                }
                case PAYMENT_NEGATIVE_AMOUNT -> f[9] = FieldText.amount(-p.cents(), true);
                case PAYMENT_ZERO_AMOUNT -> f[9] = "0.00";
                default -> throw new IllegalArgumentException(defect + " does not apply to office payments");
            }
        }
        for (String[] line : lines) {
            writeFields(out, line);
        }
        return id;
    }

    private String platformPayment(Payment p, Defect defect) {
        String id = "PF" + IdentityPool.pad(++platformSequence, 10);
        String[] f = {id, p.payee().nationalId(), p.payee().name(), p.scheme().officialCode,
                DepartmentCodes.PLATFORM_BENEFITS.get(p.benefitType()), p.region(),
                FieldText.compact(p.periodStart()), FieldText.compact(p.periodEnd()),
                FieldText.compact(p.paymentDate()), FieldText.amount(p.cents(), false), p.bankAccount(),
                p.eventDate() == null ? null : FieldText.compact(p.eventDate())};
        if (defect != null) {
            switch (defect) {
                case PLATFORM_FULL_WIDTH_AMOUNT -> f[9] = FieldText.fullWidthDigits(f[9]);
                case PLATFORM_UNPARSEABLE_DATE -> f[8] = "abc";
                default -> throw new IllegalArgumentException(defect + " does not apply to platform payments");
            }
        }
        StringBuilder sb = new StringBuilder(256).append('{');
        for (int i = 0; i < f.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(PLATFORM_KEYS.get(i)).append("\":");
            if (f[i] == null) {
                sb.append("null");
            } else {
                jsonString(sb, f[i]);
            }
        }
        sb.append('}');
        Extract out = byYear(PLATFORM_PAYMENTS, p.periodStart().getYear());
        writeLine(out, sb);
        return id;
    }

    /** The yearly file of a layout (looked up without formatting a name per row). */
    private Extract byYear(String pattern, int year) {
        Extract[] years = yearly.get(pattern);
        int i = year - YEARS[0];
        if (i < 0 || i >= years.length) {
            throw new IllegalArgumentException("year " + year + " is outside the study period");
        }
        return years[i];
    }

    private static String[] append(String[] f, String extra) {
        String[] g = java.util.Arrays.copyOf(f, f.length + 1);
        g[f.length] = extra;
        return g;
    }

    private static void jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    private static void writeFields(Extract e, String[] fields) {
        StringBuilder sb = new StringBuilder(160);
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append(e.delimiter);
            }
            String v = fields[i] == null ? "" : fields[i];
            if (v.indexOf(e.delimiter) >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0) {
                sb.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(v);
            }
        }
        writeLine(e, sb);
    }

    private static void writeLine(Extract e, CharSequence line) {
        try {
            e.writer.append(line).append('\n');
            e.rows++;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Extract e : extracts.values()) {
            try {
                e.writer.close();
            } catch (IOException ex) {
                first = first == null ? ex : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
