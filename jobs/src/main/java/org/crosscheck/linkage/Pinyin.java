package org.crosscheck.linkage;

import java.util.concurrent.ConcurrentHashMap;

import net.sourceforge.pinyin4j.PinyinHelper;
import net.sourceforge.pinyin4j.format.HanyuPinyinCaseType;
import net.sourceforge.pinyin4j.format.HanyuPinyinOutputFormat;
import net.sourceforge.pinyin4j.format.HanyuPinyinToneType;
import net.sourceforge.pinyin4j.format.HanyuPinyinVCharType;
import net.sourceforge.pinyin4j.format.exception.BadHanyuPinyinOutputFormatCombination;

/**
 * Toneless pinyin of a name (pinyin4j), so that homophones written with other characters (伟/玮, 静/靜) compare equal.
 * Syllables are separated by one space; a character with several readings takes pinyin4j's first reading; letters
 * and digits are kept lower-cased (Latin-script names pass through); everything else (spaces, dots, hyphens) is
 * dropped. Readings are cached per character.
 */
public final class Pinyin {
    private static final ConcurrentHashMap<Integer, String> CACHE = new ConcurrentHashMap<>();
    private static final HanyuPinyinOutputFormat FORMAT = new HanyuPinyinOutputFormat();

    static {
        FORMAT.setCaseType(HanyuPinyinCaseType.LOWERCASE);
        FORMAT.setToneType(HanyuPinyinToneType.WITHOUT_TONE);
        FORMAT.setVCharType(HanyuPinyinVCharType.WITH_V);
    }

    private Pinyin() {
    }

    /** The toneless pinyin of {@code name}, syllables separated by spaces; null for null. */
    public static String of(String name) {
        if (name == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        StringBuilder latin = new StringBuilder();
        name.codePoints().forEach(cp -> {
            if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN) {
                flush(out, latin);
                append(out, CACHE.computeIfAbsent(cp, Pinyin::reading));
            } else if (Character.isLetterOrDigit(cp)) {
                latin.appendCodePoint(Character.toLowerCase(cp));
            } else {
                flush(out, latin);
            }
        });
        flush(out, latin);
        return out.toString();
    }

    private static void flush(StringBuilder out, StringBuilder latin) {
        if (latin.length() > 0) {
            append(out, latin.toString());
            latin.setLength(0);
        }
    }

    private static void append(StringBuilder out, String syllable) {
        if (out.length() > 0) {
            out.append(' ');
        }
        out.append(syllable);
    }

    private static String reading(int cp) {
        if (Character.charCount(cp) == 1) {
            try {
                String[] r = PinyinHelper.toHanyuPinyinStringArray((char) cp, FORMAT);
                if (r != null && r.length > 0) {
                    return r[0];
                }
            } catch (BadHanyuPinyinOutputFormatCombination e) {
                throw new IllegalStateException(e);
            }
        }
        return new String(Character.toChars(cp)); // no reading known: the character stands for itself
    }
}
