package org.crosscheck.generate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where the bad rows go: each defect is planted {@code perDefect} times, spread evenly over the population. A
 * defect waits until the first suitable person at or after its start position and is given to that person only.
 */
final class QualityPlan {
    private record Pending(long start, Defect defect) {
    }

    private final Map<Defect.Target, ArrayDeque<Pending>> queues = new EnumMap<>(Defect.Target.class);

    QualityPlan(int persons, int perDefect) {
        Defect[] all = Defect.values();
        List<Pending> pending = new ArrayList<>();
        long slots = (long) perDefect * all.length + 1;
        for (int j = 0; j < perDefect; j++) {
            for (Defect d : all) {
                pending.add(new Pending(persons * ((long) j * all.length + d.ordinal()) / slots, d));
            }
        }
        pending.sort(Comparator.comparingLong(Pending::start).thenComparing(p -> p.defect().ordinal()));
        for (Defect.Target t : Defect.Target.values()) {
            queues.put(t, new ArrayDeque<>());
        }
        for (Pending p : pending) {
            queues.get(p.defect().target).add(p);
        }
    }

    /** The defect person {@code index} (of the given kind) should carry, or null. */
    Defect take(long index, Defect.Target target) {
        ArrayDeque<Pending> q = queues.get(target);
        Pending head = q.peekFirst();
        if (head != null && head.start() <= index) {
            q.pollFirst();
            return head.defect();
        }
        return null;
    }

    /** For a person who is either kind: the specific kind first. */
    Defect take(long index, Defect.Target specific, Defect.Target general) {
        Defect d = take(index, specific);
        return d != null ? d : take(index, general);
    }
}
