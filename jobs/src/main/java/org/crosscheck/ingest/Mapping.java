package org.crosscheck.ingest;

import java.util.List;
import java.util.Map;

import org.crosscheck.core.SourceFamily;

/**
 * How one department lays out one kind of extract: which files, how to decode them, and which source column
 * feeds which canonical field. A new layout is a new mapping file, never new code.
 *
 * <p>Ingestion uses {@link #files}, {@link #format}, {@link #encoding}, {@link #delimiter}, {@link #header},
 * {@link #quote}, {@link #columns} and {@link #constants}; bronze keeps the raw values. Validation uses
 * {@link #formats}, {@link #codes} and {@link #decimal} to turn raw values into typed canonical columns; it reads
 * the snapshot of the mapping stored with each load, so editing a mapping never reinterprets old loads.
 *
 * @param id          unique name of this layout, e.g. {@code gz_psb_registry_gbk}
 * @param family      source family: civil_registry, enrollment, contribution or benefit_payment
 * @param department  who delivers it, for people
 * @param files       glob of file names relative to the landing folder, e.g. {@code registry/HJ_*.csv}
 * @param format      csv, parquet or json
 * @param encoding    character set of CSV and JSON files (UTF-8, GBK, GB18030, …)
 * @param delimiter   CSV field separator
 * @param header      whether CSV files start with a header row (without one, columns are named _c0, _c1, …)
 * @param quote       CSV quote character
 * @param columns     canonical field to source column
 * @param constants   canonical field to a fixed value for every row of these files (e.g. the region)
 * @param formats     canonical date/time field to its accepted patterns, tried in order; a pattern without a day
 *                    ({@code yyyyMM}) gives month precision, one with only a year gives year precision
 * @param codes       canonical code field (sex, scheme, record_status, benefit_type, death_date_precision) to a
 *                    translation of the department's codes into canonical values; values not listed are flagged by
 *                    validation. A value may also be {@code {use: <name>}}, naming a shared list of
 *                    {@link #codeLists} (resolved when the mapping is loaded)
 * @param decimal     how amounts are written
 * @param guards      plausibility guards by name, overriding the defaults (see {@code docs/mappings.md})
 * @param codeLists   file of shared code lists (relative to the mapping file), used by {@code codes: {f: {use: x}}}
 */
public record Mapping(
        String id,
        String family,
        String department,
        String files,
        String format,
        String encoding,
        String delimiter,
        Boolean header,
        String quote,
        Map<String, String> columns,
        Map<String, String> constants,
        Map<String, List<String>> formats,
        Map<String, Map<String, String>> codes,
        DecimalFormat decimal,
        Map<String, Guard> guards,
        String codeLists) {

    /** A mapping with the default guards and no shared code lists. */
    public Mapping(String id, String family, String department, String files, String format, String encoding,
                   String delimiter, Boolean header, String quote, Map<String, String> columns,
                   Map<String, String> constants, Map<String, List<String>> formats,
                   Map<String, Map<String, String>> codes, DecimalFormat decimal) {
        this(id, family, department, files, format, encoding, delimiter, header, quote, columns, constants, formats,
                codes, decimal, null, null);
    }

    public Mapping {
        format = format == null ? "csv" : format.toLowerCase(java.util.Locale.ROOT);
        encoding = encoding == null ? "UTF-8" : encoding;
        delimiter = delimiter == null ? "," : delimiter;
        header = header == null ? Boolean.TRUE : header;
        quote = quote == null ? "\"" : quote;
        columns = columns == null ? Map.of() : Map.copyOf(columns);
        constants = constants == null ? Map.of() : Map.copyOf(constants);
        formats = formats == null ? Map.of() : Map.copyOf(formats);
        codes = codes == null ? Map.of() : Map.copyOf(codes);
        decimal = decimal == null ? new DecimalFormat(null, null) : decimal;
        guards = guards == null ? Map.of() : Map.copyOf(guards);
    }

    /** This mapping with other code lists (shared lists resolved) and no reference to the shared file. */
    public Mapping withCodes(Map<String, Map<String, String>> resolved) {
        return new Mapping(id, family, department, files, format, encoding, delimiter, header, quote, columns,
                constants, formats, resolved, decimal, guards, null);
    }

    /**
     * The setting of one plausibility guard: a bound on a share (0..1) and what to do when a load passes it.
     *
     * @param max     largest share allowed (for {@code share_jump}: largest change against the previous load)
     * @param min     smallest share allowed (only {@code share.<field>.<value>} guards)
     * @param action  {@code stop} (the run stops before the load is written, exit 3), {@code warn} or {@code off}
     * @param minRows loads with fewer rows are not judged by this guard (shares of a handful of rows mean little)
     */
    public record Guard(Double max, Double min, String action, Long minRows) {
    }

    public SourceFamily sourceFamily() {
        return SourceFamily.fromId(family);
    }

    /**
     * @param separator decimal separator, "." by default
     * @param grouping  thousands separator to strip ("," by default; empty for none)
     */
    public record DecimalFormat(String separator, String grouping) {
        public DecimalFormat {
            separator = separator == null ? "." : separator;
            grouping = grouping == null ? "," : grouping;
        }
    }
}
