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

    /**
     * Pairs of a given-name character and a homophone outside the given-name pool: the same toneless pinyin (checked
     * by ChineseNamesTest against the linkage's pinyin), other characters, all in GBK. Some are traditional forms
     * (静/靜, 伟/偉) as registries converted from older systems hold them.
     */
    private static final String HOMOPHONES = "伟玮芳昉娜纳秀绣英瑛敏珉静靜丽俪强蔷磊垒军钧洋扬勇咏艳焱杰洁娟鹃涛韬明鸣超潮"
            + "霞遐平苹刚钢兰岚玉钰红洪华骅建剑国帼文雯斌滨志智鹏朋宇禹浩皓俊骏峰枫辉晖宁凝欣馨怡宜婷亭梅玫琳麟晨辰"
            + "阳杨慧蕙颖莹晶菁丹郸飞菲凯恺鑫歆海亥龙珑云芸博搏睿锐涵晗萱宣子紫梓籽琪祺瑶遥瑞锐泽择昊皓然燃雨语彤桐"
            + "思斯远源航杭铭茗宏弘春椿秋湫蓉溶莉俐凤奉燕雁琴芹玲龄珍贞兴星荣容永咏德得金锦山珊庆磬生笙福甫发法胜晟"
            + "和禾安谙振震民珉光广天添元源友佑忠钟昌菖宝葆喜禧淑姝美媚翠萃清青珠朱兵冰松淞柏栢桃淘菊橘莲涟亚娅如茹"
            + "小筱少劭晓筱伦仑巧翘素溯月玥彩采坤堃豪濠毅艺恒衡达笪益翊康慷健键";

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

    /**
     * {@code name} with the last given-name character that has a homophone written with that homophone (王伟 → 王玮):
     * it sounds the same but no generated person has it, since the homophones are outside the given-name pool.
     * Null when no given-name character has one.
     */
    static String homophone(String name) {
        for (int i = name.length() - 1; i >= 1; i--) {
            int at = homophoneIndex(name.charAt(i));
            if (at >= 0) {
                return name.substring(0, i) + HOMOPHONES.charAt(at + 1) + name.substring(i + 1);
            }
        }
        return null;
    }

    /** The homophone table as pairs (for the test that checks them). */
    static java.util.List<String> homophonePairs() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < HOMOPHONES.length(); i += 2) {
            out.add(HOMOPHONES.substring(i, i + 2));
        }
        return out;
    }

    private static int homophoneIndex(char c) {
        for (int i = 0; i + 1 < HOMOPHONES.length(); i += 2) {
            if (HOMOPHONES.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** The given-name pool (for the test that checks the homophones lie outside it). */
    static String givenPool() {
        return distinct(GIVEN);
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
