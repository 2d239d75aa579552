package org.crosscheck.ingest;

import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Set;

import org.crosscheck.core.CrossCheckException;

/**
 * Signs that a text delivery was damaged on its way, measured in the same pass over the bytes that hashes the file
 * ({@link ExtractFile#fingerprint}). Strict decoding already refuses bytes that are invalid in the declared
 * encoding; this catches damage that still decodes:
 * <ul>
 *   <li><b>UTF-8 declared as GBK.</b> UTF-8 Chinese text often also decodes as GBK, into plausible-looking
 *       garbage (何超 becomes 浣曡秴) that would overwrite good names as updates. A file declared GBK (GB2312,
 *       GB18030) whose bytes contain multi-byte sequences and are valid UTF-8 throughout is refused: real GBK text
 *       with Chinese characters is practically never valid UTF-8. A second, independent signal is the share of
 *       double-byte characters outside GB2312 (the 7,445 common characters and symbols that names and addresses
 *       use): above {@value #RARE_LIMIT} of at least {@value #RARE_MIN_CHARS} such characters, the file is refused
 *       as text in another encoding.</li>
 *   <li><b>A file cut short.</b> A text file whose last byte is not a line end may have been cut inside its last
 *       record (3612.33 arriving as 36). {@link #endsWithoutLineEnd()} tells the reader, which sends that last
 *       record to quarantine with the reason instead of loading a possibly shortened value.</li>
 * </ul>
 */
final class DeliveryCheck {
    static final double RARE_LIMIT = 0.25;
    static final int RARE_MIN_CHARS = 8;
    private static final Set<String> GB_FAMILY = Set.of("GBK", "GB2312", "GB18030", "X-GBK", "CP936", "MS936",
            "WINDOWS-936", "X-MSWIN-936", "EUC-CN");

    private final Charset declared;
    private final boolean gbFamily;
    // UTF-8 validity
    private int utf8Need;
    private boolean utf8Valid = true;
    private long utf8MultiByte;
    // GBK pairs
    private int gbLead = -1;
    private long gbPairs;
    private long gbRare;
    private int lastByte = -1;

    DeliveryCheck(Charset declared) {
        this.declared = declared;
        this.gbFamily = isGbFamily(declared);
    }

    static boolean isGbFamily(Charset c) {
        if (GB_FAMILY.contains(c.name().toUpperCase(Locale.ROOT))) {
            return true;
        }
        return c.aliases().stream().anyMatch(a -> GB_FAMILY.contains(a.toUpperCase(Locale.ROOT)));
    }

    void update(byte[] buf, int off, int len) {
        if (len <= 0) {
            return;
        }
        lastByte = buf[off + len - 1] & 0xFF;
        if (!gbFamily) {
            return;
        }
        for (int i = off; i < off + len; i++) {
            int b = buf[i] & 0xFF;
            utf8(b);
            gbk(b);
        }
    }

    private void utf8(int b) {
        if (!utf8Valid) {
            return;
        }
        if (utf8Need > 0) {
            if ((b & 0xC0) != 0x80) {
                utf8Valid = false;
                return;
            }
            if (--utf8Need == 0) {
                utf8MultiByte++;
            }
        } else if (b >= 0x80) {
            if (b >= 0xC2 && b <= 0xDF) {
                utf8Need = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                utf8Need = 2;
            } else if (b >= 0xF0 && b <= 0xF4) {
                utf8Need = 3;
            } else {
                utf8Valid = false;
            }
        }
    }

    private void gbk(int b) {
        if (gbLead >= 0) {
            gbPairs++;
            boolean gb2312 = ((gbLead >= 0xA1 && gbLead <= 0xA9) || (gbLead >= 0xB0 && gbLead <= 0xF7))
                    && b >= 0xA1 && b <= 0xFE;
            if (!gb2312) {
                gbRare++;
            }
            gbLead = -1;
        } else if (b >= 0x81 && b <= 0xFE) {
            gbLead = b;
        }
    }

    /** True when the file has bytes and the last is not a line end ({@code \n} or {@code \r}). */
    boolean endsWithoutLineEnd() {
        return lastByte >= 0 && lastByte != '\n' && lastByte != '\r';
    }

    /** Share of double-byte characters outside GB2312; 0 for other encodings or no such characters. */
    double rareShare() {
        return gbPairs == 0 ? 0 : (double) gbRare / gbPairs;
    }

    /** Refuses the file (exit code 3) when its bytes are implausible for the declared encoding. */
    void requirePlausible(String path) {
        if (!gbFamily) {
            return;
        }
        if (utf8Valid && utf8Need == 0 && utf8MultiByte > 0) {
            throw CrossCheckException.badInput("file " + path + " is declared " + declared.name()
                    + " by its mapping but its bytes are UTF-8 (" + utf8MultiByte + " multi-byte characters, all valid"
                    + " UTF-8): read as " + declared.name() + " every Chinese character would turn into garbage"
                    + " (何超 into 浣曡秴). Nothing was loaded. Ask the department which encoding it used, then fix the"
                    + " mapping's encoding or have the file re-delivered.");
        }
        if (gbPairs >= RARE_MIN_CHARS && rareShare() > RARE_LIMIT) {
            throw CrossCheckException.badInput(String.format(Locale.ROOT, "file %s is declared %s but %.0f%% of its"
                    + " %d double-byte characters are rare ones outside GB2312; names and addresses in %s use common"
                    + " characters, so the file is most likely in another encoding or damaged. Nothing was loaded."
                    + " Check the encoding with the department.", path, declared.name(), 100 * rareShare(), gbPairs,
                    declared.name()));
        }
    }
}
