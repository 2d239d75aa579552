package org.crosscheck.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

/**
 * Runs another main class and, when the JVM exits, prints its peak driver heap to stderr:
 * {@code heapwatch: peak heap used 812 MB, peak live after GC 301 MB, max 4096 MB}. "Used" is sampled every 50 ms
 * (it includes garbage not yet collected); "live after GC" is the heap occupancy the collector left behind, the
 * better measure of what the driver really needs.
 *
 * <pre>java ... org.crosscheck.bench.HeapWatch org.crosscheck.cli.CrossCheck run --config ...</pre>
 */
public final class HeapWatch {
    private static volatile long peakUsed;
    private static volatile long peakAfterGc;

    private HeapWatch() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: HeapWatch <main class> [args...]");
            System.exit(2);
        }
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        Thread sampler = new Thread(() -> {
            while (true) {
                sample(heap);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heapwatch");
        sampler.setDaemon(true);
        sampler.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sample(heap);
            long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
            System.err.printf("heapwatch: peak heap used %d MB, peak live after GC %d MB, max %d MB%n",
                    peakUsed >> 20, peakAfterGc >> 20, max >> 20);
        }));
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void sample(List<MemoryPoolMXBean> heap) {
        long used = 0;
        long afterGc = 0;
        for (MemoryPoolMXBean p : heap) {
            used += p.getUsage().getUsed();
            MemoryUsage c = p.getCollectionUsage();
            if (c != null) {
                afterGc += c.getUsed();
            }
        }
        peakUsed = Math.max(peakUsed, used);
        peakAfterGc = Math.max(peakAfterGc, afterGc);
    }
}
