package org.crosscheck.linkage.bench;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.linkage.LinkagePipeline;
import org.crosscheck.linkage.LinkageSettings;
import org.crosscheck.validate.IdentityNumber;

/**
 * Throughput of identity resolution: N synthetic identity records (Chinese names from 60 surnames and a 120-character
 * given-name pool, 20 regions, births 1940..2008; 1% are second identities of a person: a retyped digit, a homophone
 * character or another region) resolved with rules/linkage/identity.yaml, trained from scratch. Prints the candidate
 * pairs per blocking rule, seconds per stage and the total.
 *
 * <p>Usage: {@code LinkageScaleBench [records=1000000] [settings=rules/linkage/identity.yaml]}
 */
public final class LinkageScaleBench {
    private static final String SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖";
    private static final String GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅飞鹏辉建国志文斌宇浩凯健俊帆帅旭宁龙林欣怡佳琪雪晨阳子轩博雅思源嘉豪天祥瑞海波涵悦铭睿诗涵婷颖倩慧琳琦晶云峰鑫磊航宏亮福生荣德富贵春秋冬夏光明永安泰和顺昌盛兴旺立新振东";
    private static final String[][] HOMOPHONES = {{"伟", "玮"}, {"静", "靜"}, {"丽", "莉"}, {"军", "君"}, {"华", "骅"},
        {"明", "铭"}, {"玉", "钰"}, {"红", "宏"}, {"杰", "洁"}, {"涛", "韬"}};
    private static final StructType SCHEMA = new StructType().add("record_id", DataTypes.StringType)
            .add("id_number", DataTypes.StringType).add("full_name", DataTypes.StringType)
            .add("birth_date", DataTypes.StringType).add("sex", DataTypes.StringType).add("region", DataTypes.StringType)
            .add("bank_account", DataTypes.StringType).add("employer_id", DataTypes.StringType)
            .add("id_valid", DataTypes.BooleanType).add("person_index", DataTypes.LongType)
            .add("kind", DataTypes.StringType);

    private LinkageScaleBench() {
    }

    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        Path settingsFile = Path.of(args.length > 1 ? args[1] : "rules/linkage/identity.yaml");
        SparkSession spark = SparkSession.builder().master(System.getProperty("spark.master", "local[2]"))
                .appName("linkage-scale").config("spark.sql.shuffle.partitions", "16")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        long persons = Math.round(n / 1.01);
        Dataset<Row> records = spark.range(0, persons, 1, 8).flatMap((FlatMapFunction<Long, Row>) i -> identities(i).iterator(),
                Encoders.row(SCHEMA)).limit((int) n).localCheckpoint();
        long t0 = System.nanoTime();
        long count = records.count();
        System.out.printf(Locale.ROOT, "generated %,d identity records in %.1f s%n", count, (System.nanoTime() - t0) / 1e9);
        long start = System.nanoTime();
        LinkageSettings settings = LinkageSettings.load(settingsFile);
        LinkagePipeline.Result result = new LinkagePipeline(spark, settings).run(records, null, true);
        double total = (System.nanoTime() - start) / 1e9;
        System.out.println("candidate pairs per blocking rule: " + result.pairsPerRule());
        System.out.println("training: " + result.model().training() + ", lambda " + result.model().lambda());
        for (int c = 0; c < settings.comparisons().size(); c++) {
            StringBuilder b = new StringBuilder("  " + settings.comparisons().get(c).name() + ":");
            for (int l = 1; l < settings.comparisons().get(c).levels().size(); l++) {
                b.append(String.format(Locale.ROOT, " %s m=%.4f u=%.6f w=%.2f;", settings.comparisons().get(c).levels().get(l).name(), result.model().m(c, l), result.model().u(c, l), result.model().weight(c, l)));
            }
            System.out.println(b);
        }
        System.out.println("blocks skipped as too large: " + result.skippedBlocksPerRule());
        System.out.printf(Locale.ROOT, "distinct candidate pairs: %,d; linked: %,d%n", result.candidatePairs(),
                result.links().count());
        // ground truth: two records are one person when they carry the same person_index (the bench knows it; the
        // linkage never sees it)
        Dataset<Row> truth = records.select("record_id", "person_index");
        Dataset<Row> judged = result.links().join(truth.toDF("id_l", "pl"), "id_l").join(truth.toDF("id_r", "pr"), "id_r")
                .withColumn("true_link", expr("pl = pr")).cache();
        long truePairs = truth.groupBy("person_index").count().filter("count > 1").count();
        long tp = judged.filter("true_link").count();
        long linked = judged.count();
        double precision = linked == 0 ? 1.0 : (double) tp / linked;
        double recall = truePairs == 0 ? 1.0 : (double) tp / truePairs;
        System.out.printf(Locale.ROOT, "planted second identities: %,d; linked: %,d, of them true %,d: precision %.4f,"
                + " recall %.4f, F1 %.4f%n", truePairs, linked, tp, precision, recall,
                precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
        System.out.println("most frequent comparison patterns of the false links:");
        for (Row p : judged.filter("NOT true_link")
                .withColumn("pattern", expr("array_join(transform(contributions, c -> c.level), ' ')"))
                .groupBy("pattern").agg(count(lit(1)).as("n"), expr("round(avg(match_weight), 1)").as("w"))
                .orderBy(col("n").desc()).limit(8).collectAsList()) {
            System.out.printf(Locale.ROOT, "  %,7d  w=%5.1f  %s%n", p.getLong(1), p.getDouble(2), p.getString(0));
        }
        // every scored candidate pair against the truth: recall per kind of second identity, and the figures at
        // other thresholds (excluded pairs are never linked)
        Dataset<Row> seconds = records.filter("kind <> 'first'").select("person_index", "kind");
        Dataset<Row> scoredTruth = result.scored().join(truth.toDF("id_l", "pl"), "id_l")
                .join(truth.toDF("id_r", "pr"), "id_r").filter("exclusion IS NULL")
                .selectExpr("pl = pr AS true_link", "match_probability", "CASE WHEN pl = pr THEN pl END AS person")
                .cache();
        System.out.println("recall per kind of second identity (threshold " + settings.threshold() + "):");
        for (Row k : seconds.join(scoredTruth.filter("true_link AND match_probability >= " + settings.threshold())
                        .select(col("person").as("person_index"), lit(1).as("found")).distinct(), 
                        scala.jdk.javaapi.CollectionConverters.asScala(List.of("person_index")).toSeq(), "left")
                .groupBy("kind").agg(count(lit(1)).as("n"), count(col("found")).as("found")).orderBy("kind")
                .collectAsList()) {
            System.out.printf(Locale.ROOT, "  %-28s %,7d of %,7d  %.4f%n", k.getString(0), k.getLong(2), k.getLong(1),
                    (double) k.getLong(2) / k.getLong(1));
        }
        for (double t : new double[]{0.5, 0.9, 0.95, 0.99, 0.999}) {
            Row f = scoredTruth.filter("match_probability >= " + t)
                    .agg(count(lit(1)), count(expr("CASE WHEN true_link THEN 1 END"))).first();
            long all = f.getLong(0);
            long good = f.getLong(1);
            double pr = all == 0 ? 1.0 : (double) good / all;
            double rc = truePairs == 0 ? 1.0 : (double) good / truePairs;
            System.out.printf(Locale.ROOT, "  threshold %-6s linked %,7d  precision %.4f  recall %.4f  F1 %.4f%n", t,
                    all, pr, rc, pr + rc == 0 ? 0 : 2 * pr * rc / (pr + rc));
        }
        scoredTruth.unpersist();
        judged.unpersist();
        for (Map.Entry<String, Double> e : result.secondsPerStage().entrySet()) {
            System.out.printf(Locale.ROOT, "  %-60s %7.1f s%n", e.getKey(), e.getValue());
        }
        System.out.printf(Locale.ROOT, "TOTAL %,d records resolved in %.1f s (target <= 180 s)%n", count, total);
        spark.stop();
    }

    /** Person i's identity, and for 1% of persons a second identity of the same person. */
    static List<Row> identities(long i) {
        SplittableRandom rng = new SplittableRandom(i * 0x9E3779B97F4A7C15L + 17);
        String region = String.valueOf(110101 + rng.nextInt(20));
        LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(rng.nextInt(25000));
        boolean male = rng.nextBoolean();
        int seq = rng.nextInt(1000);
        String name = SURNAMES.charAt(rng.nextInt(SURNAMES.length())) + ""
                + GIVEN.charAt(rng.nextInt(GIVEN.length())) + (rng.nextInt(3) > 0 ? GIVEN.charAt(rng.nextInt(GIVEN.length())) : "");
        String id = IdentityNumber.build(region, birth, seq, male);
        String account = "62" + String.format(Locale.ROOT, "%014d", i);
        String employer = "E" + rng.nextInt(20000);
        List<Row> out = new ArrayList<>(2);
        out.add(RowFactory.create(id, id, name, birth.toString(), male ? "M" : "F", region, account, employer, true, i, "first"));
        if (rng.nextInt(100) == 0) {
            String region2 = region;
            String name2 = name;
            String what = "same name, another number";
            int seq2 = (seq + 1 + rng.nextInt(998)) % 1000;
            int kind = rng.nextInt(3);
            if (kind == 0) {
                seq2 = seq / 10 * 10 + (seq % 10 + 1 + rng.nextInt(8)) % 10; // one digit retyped
                what = "one digit retyped";
            } else if (kind == 1) {
                for (String[] h : HOMOPHONES) {
                    if (name.contains(h[0])) {
                        name2 = name.replace(h[0], h[1]);
                        what = "homophone, another number";
                        break;
                    }
                }
            } else {
                region2 = String.valueOf(440101 + rng.nextInt(10));
                what = "another region";
            }
            String id2 = IdentityNumber.build(region2, birth, seq2, male);
            if (!id2.equals(id)) {
                out.add(RowFactory.create(id2, id2, name2, birth.toString(), male ? "M" : "F", region2, null, null, true, i, what));
            }
        }
        return out;
    }
}
