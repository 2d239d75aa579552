package org.crosscheck.serve;

/** The workspace's one style sheet (served as /app.css: the pages have no inline style or script). */
final class Style {
    static final String CSS = """
            body{font-family:system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
            header{background:#1f3a5f;color:#fff;padding:.6rem 1rem;display:flex;gap:1.2rem;align-items:center}
            header a{color:#fff;text-decoration:none;font-weight:600}
            header form{margin-left:auto} main{padding:1rem 1.4rem}
            table{border-collapse:collapse;background:#fff;margin:.4rem 0 1rem} td,th{border:1px solid #d0d5dc;padding:.25rem .5rem;text-align:left;font-size:.9rem}
            th{background:#e9edf2} td.num{text-align:right} .flash{background:#e3f4e1;border:1px solid #8cc084;padding:.5rem;margin:.5rem 0}
            .conflict{background:#fdecea;border:1px solid #e08a80;padding:.6rem;margin:.5rem 0}
            form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;background:#fff;padding:.6rem;border:1px solid #d0d5dc}
            form.filters label{display:flex;flex-direction:column;font-size:.8rem}
            .actions{display:flex;flex-wrap:wrap;gap:1rem} .actions form{background:#fff;border:1px solid #d0d5dc;padding:.6rem}
            .totals{font-weight:600;margin:.5rem 0} .sev-high{color:#a01818;font-weight:600}
            """;

    private Style() {
    }
}
