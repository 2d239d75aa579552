package org.crosscheck.generate;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Chinese names that are unique per person index: index {@code i} maps through an affine permutation onto the
 * space of surname + one or two given characters, so no two generated persons share a name by accident (which
 * keeps {@code duplicate_identity} quiet outside the planted cases). All characters are in GBK.
 */
final class ChineseNames {
    private static final String SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
    private static final String GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰玉萍红华建国文斌志鹏宇浩俊峰辉波宁欣怡婷雪梅琳晨阳佳慧颖晶丹飞凯翔鑫海龙云彬博睿轩涵萱子梓嘉琪瑶瑞泽昊然雨彤思远航铭宏亮春秋冬蓉莉凤燕琴玲珍兴荣永德金成林山庆东生福祥发胜和安新振中卫民立光天元家贵友忠昌宝喜淑惠美翠清秀珠兵松柏桃菊莲虹亚如小少晓伦巧素卿月彩霖坤磊锋豪鸿毅恒达诚益康健乐";

    private final String surnames;
    private final String given;
    private final long s;
    private final long g;
    private final long size;
    private final long a;
    private final long aInverse;
    private final long b;
    private final Set<Long> reservedTwinNames = new HashSet<>();

    ChineseNames(long seed) {
        this.surnames = distinct(SURNAMES);
        this.given = distinct(GIVEN);
        this.s = surnames.length();
        this.g = given.length();
        this.size = s * g + s * g * g;
        long candidate = 1_000_003L + Math.floorMod(seed, 1000) * 2L;
        while (BigInteger.valueOf(candidate).gcd(BigInteger.valueOf(size)).intValue() != 1) {
            candidate++;
        }
        this.a = candidate;
        this.aInverse = BigInteger.valueOf(a).modInverse(BigInteger.valueOf(size)).longValue();
        this.b = Math.floorMod(seed * 7919L, size);
    }

    /** How many persons can get distinct names. */
    long capacity() {
        return size;
    }

    String nameOf(long index) {
        return render(code(index));
    }

    /**
     * A name with the same surname as {@code index}'s but other given characters, not used by any index below
     * {@code firstFreeIndex} nor by an earlier twin.
     */
    String twinName(long index, long firstFreeIndex, SplittableRandom rng) {
        long k = code(index);
        long surname = k < s * g ? k / g : (k - s * g) / (g * g);
        for (int attempt = 0; attempt < 100_000; attempt++) {
            long candidate = s * g + surname * g * g + rng.nextLong(g * g);
            if (candidate != k && preimage(candidate) >= firstFreeIndex && reservedTwinNames.add(candidate)) {
                return render(candidate);
            }
        }
        throw new IllegalStateException("no free twin name for surname " + surnames.charAt((int) surname));
    }

    private long code(long index) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("name index " + index + " outside 0.." + (size - 1));
        }
        return Math.floorMod(Math.addExact(Math.multiplyExact(a, index), b), size);
    }

    private long preimage(long k) {
        return Math.floorMod(Math.multiplyExact(aInverse, Math.floorMod(k - b, size)), size);
    }

    private String render(long k) {
        if (k < s * g) {
            return "" + surnames.charAt((int) (k / g)) + given.charAt((int) (k % g));
        }
        long r = k - s * g;
        return "" + surnames.charAt((int) (r / (g * g))) + given.charAt((int) ((r / g) % g))
                + given.charAt((int) (r % g));
    }

    private static String distinct(String chars) {
        StringBuilder out = new StringBuilder();
        chars.codePoints().distinct().forEach(out::appendCodePoint);
        return out.toString();
    }
}
