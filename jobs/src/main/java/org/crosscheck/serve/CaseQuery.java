package org.crosscheck.serve;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.crosscheck.serve.CaseSnapshot.Case;
import org.crosscheck.serve.CaseSnapshot.SortKey;

/**
 * The work queue's filter, sort and page, read from the query string. {@code view=awaiting} (the default) keeps the
 * cases awaiting review; {@code view=all} every case. The other filters are exact values (amounts are bounds);
 * a risk officer's region limit is always applied on top.
 */
public record CaseQuery(String view, String rule, String severity, String region, String scheme, String state,
                        String disposition, String assignee, String firstSeen, BigDecimal minAmount,
                        BigDecimal maxAmount, SortKey sort, boolean descending, int page) {
    public static final int PAGE_SIZE = 50;

    /** One page of the queue and the totals of the whole filter. */
    public record Result(List<Case> rows, long count, BigDecimal amount, int page, int pages) {
    }

    public static CaseQuery from(Function<String, String> param) {
        SortKey sort = SortKey.AMOUNT;
        String s = blank(param.apply("sort"));
        if (s != null) {
            for (SortKey k : SortKey.values()) {
                if (k.code().equals(s.toLowerCase(Locale.ROOT))) {
                    sort = k;
                }
            }
        }
        String view = blank(param.apply("view"));
        return new CaseQuery(view == null || !view.equals("all") ? "awaiting" : "all", blank(param.apply("rule")),
                blank(param.apply("severity")), blank(param.apply("region")), blank(param.apply("scheme")),
                blank(param.apply("state")), blank(param.apply("disposition")), blank(param.apply("assignee")),
                blank(param.apply("first_seen")), amount(param.apply("min_amount")), amount(param.apply("max_amount")),
                sort, !"asc".equals(param.apply("dir")), Math.max(1, integer(param.apply("page"))));
    }

    /** The filters other than the amount bounds and the user's regions, which {@link #run} checks. */
    public boolean matches(Case c) {
        return (!view.equals("awaiting") || c.awaitingReview())
                && eq(rule, c.ruleId()) && eq(severity, c.severity()) && eq(region, c.region())
                && eq(scheme, c.scheme()) && eq(state, c.state()) && eq(disposition, c.disposition())
                && (assignee == null || (assignee.equals("(nobody)") ? c.assignee() == null : assignee.equals(c.assignee())))
                && eq(firstSeen, c.firstSeenRun());
    }

    /** One pass over the sort key's index: the page's rows, and the count and amount of every match. */
    public Result run(CaseSnapshot snapshot, Users.User user) {
        int[] order = snapshot.sorted.get(sort);
        int from = (page - 1) * PAGE_SIZE;
        List<Case> rows = new ArrayList<>(PAGE_SIZE);
        long count = 0;
        long cents = 0;
        long min = minAmount == null ? Long.MIN_VALUE : minAmount.movePointRight(2).setScale(0, java.math.RoundingMode.CEILING).longValue();
        long max = maxAmount == null ? Long.MAX_VALUE : maxAmount.movePointRight(2).setScale(0, java.math.RoundingMode.FLOOR).longValue();
        boolean allRegions = user.role() != Users.Role.RISK_OFFICER;
        for (int k = 0; k < order.length; k++) {
            int i = order[descending ? order.length - 1 - k : k];
            Case c = snapshot.cases[i];
            long amount = snapshot.cents[i];
            if (amount < min || amount > max || c.amount() == null && (minAmount != null || maxAmount != null)
                    || !allRegions && !user.seesRegion(c.region()) || !matches(c)) {
                continue;
            }
            if (count >= from && rows.size() < PAGE_SIZE) {
                rows.add(c);
            }
            count++;
            cents += amount;
        }
        int pages = (int) Math.max(1, (count + PAGE_SIZE - 1) / PAGE_SIZE);
        return new Result(rows, count, BigDecimal.valueOf(cents, 2), page, pages);
    }

    /** The query string of this query with the page (or sort) changed; values URL-encoded. */
    public String withPage(int p) {
        return toQuery(p, sort, descending);
    }

    public String withSort(SortKey k) {
        return toQuery(1, k, k == sort ? !descending : true);
    }

    public String toQuery(int p, SortKey k, boolean desc) {
        StringBuilder sb = new StringBuilder("?view=").append(view);
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("rule", rule);
        m.put("severity", severity);
        m.put("region", region);
        m.put("scheme", scheme);
        m.put("state", state);
        m.put("disposition", disposition);
        m.put("assignee", assignee);
        m.put("first_seen", firstSeen);
        m.put("min_amount", minAmount == null ? null : minAmount.toPlainString());
        m.put("max_amount", maxAmount == null ? null : maxAmount.toPlainString());
        m.forEach((name, v) -> {
            if (v != null) {
                sb.append('&').append(name).append('=')
                        .append(java.net.URLEncoder.encode(v.toString(), java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        sb.append("&sort=").append(k.code()).append("&dir=").append(desc ? "desc" : "asc");
        if (p > 1) {
            sb.append("&page=").append(p);
        }
        return sb.toString();
    }

    private static boolean eq(String wanted, String value) {
        return wanted == null || wanted.equals(value);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static BigDecimal amount(String s) {
        try {
            return blank(s) == null ? null : new BigDecimal(s.trim().replace(",", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int integer(String s) {
        try {
            return s == null ? 1 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
