package org.crosscheck.serve;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.crosscheck.publish.EvidenceText;
import org.crosscheck.serve.CaseSnapshot.Case;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The review workspace: a Javalin web application over a {@link CaseStore}. Pages: {@code /} (reviewers' precision,
 * the last run), {@code /queue} (the work queue), {@code /case/{id}} (one case, its evidence, timeline and actions).
 * Who sees what comes from {@link Users}: risk officers their regions, supervisors all, analysts no identity at all
 * (no subject column, no case page: 403).
 *
 * <p>Security: a session is a random 256-bit id in an HttpOnly, SameSite=Strict cookie (Secure when served behind
 * TLS), renewed at login, ended after 30 idle minutes; every form carries the session's CSRF token and a POST
 * without it is refused (403); URLs carry case ids (hashes), never an identity number; nothing logs a request's
 * parameters; pages are not cached.
 */
public final class ReviewServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReviewServer.class);
    static final String COOKIE = "crosscheck_session";
    private static final Duration IDLE = Duration.ofMinutes(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A page refused: rendered as the error page with this status. */
    static final class Refusal extends RuntimeException {
        final int status;

        Refusal(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    static final class Session {
        final String id;
        final String csrf = token();
        volatile Users.User user;
        volatile Instant lastSeen = Instant.now();
        volatile String flash;

        Session(String id) {
            this.id = id;
        }
    }

    private final CaseStore store;
    private final Users users;
    private final boolean secureCookies;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private Javalin app;

    public ReviewServer(CaseStore store, Users users, boolean secureCookies) {
        this.store = store;
        this.users = users;
        this.secureCookies = secureCookies;
    }

    /** Starts listening; port 0 picks a free one (see {@link #port()}). */
    public ReviewServer start(String host, int port) {
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.maxRequestSize = 64 * 1024;
            cfg.routes.before(this::guard);
            cfg.routes.get("/app.css", ctx -> ctx.contentType("text/css").result(Style.CSS));
            cfg.routes.get("/login", this::loginPage);
            cfg.routes.post("/login", this::login);
            cfg.routes.post("/logout", this::logout);
            cfg.routes.get("/", this::startPage);
            cfg.routes.get("/queue", this::queuePage);
            cfg.routes.get("/case/{id}", this::casePage);
            cfg.routes.post("/case/{id}/action", this::action);
            cfg.routes.exception(Refusal.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("Review workspace: internal failure on {} {}", ctx.method(), ctx.path(), e);
                error(ctx, 500, "Something went wrong on the server; the action was not completed. See the server log.");
            });
            cfg.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    error(ctx, 404, "There is no such page.");
                }
            });
        }).start(host, port);
        LOG.info("Review workspace listening on http://{}:{}/", host, app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
    }

    // ------------------------------------------------------------------ sessions, CSRF, access

    private static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private Session session(Context ctx) {
        String id = ctx.cookie(COOKIE);
        Session s = id == null ? null : sessions.get(id);
        if (s != null && s.lastSeen.plus(IDLE).isBefore(Instant.now())) {
            sessions.remove(s.id);
            s = null;
        }
        if (s != null) {
            s.lastSeen = Instant.now();
        }
        return s;
    }

    private Session newSession(Context ctx, Users.User user) {
        sessions.values().removeIf(x -> x.lastSeen.plus(IDLE).isBefore(Instant.now()));
        Session s = new Session(token());
        s.user = user;
        sessions.put(s.id, s);
        ctx.header("Set-Cookie", COOKIE + "=" + s.id + "; Path=/; HttpOnly; SameSite=Strict"
                + (secureCookies ? "; Secure" : ""));
        return s;
    }

    /** Security headers; a POST without the session's CSRF token is refused; pages need a login. */
    private void guard(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'");
        Session s = session(ctx);
        if (ctx.method() == HandlerType.POST) {
            String sent = ctx.formParam("csrf");
            if (s == null || sent == null || !java.security.MessageDigest.isEqual(sent.getBytes(), s.csrf.getBytes())) {
                throw new Refusal(403, "This form has expired or did not come from this site (no valid CSRF token). "
                        + "Open the page again and repeat.");
            }
        }
        String path = ctx.path();
        if (path.equals("/login") || path.equals("/app.css")) {
            return;
        }
        if (s == null || s.user == null) {
            ctx.redirect("/login");
            ctx.skipRemainingHandlers();
        }
    }

    private Session user(Context ctx) {
        Session s = session(ctx);
        if (s == null || s.user == null) {
            throw new Refusal(401, "Please log in.");
        }
        return s;
    }

    // ------------------------------------------------------------------ pages

    private void render(Context ctx, String template, Object model) {
        StringOutput out = new StringOutput();
        templates.render(template, model, out);
        ctx.html(out.toString());
    }

    private void error(Context ctx, int status, String message) {
        Session s = session(ctx);
        ctx.status(status);
        render(ctx, "error.jte", new Pages.ErrorPage(new Pages.Layout("Error " + status,
                s == null ? null : s.user, s == null ? "" : s.csrf), status, message));
    }

    private void loginPage(Context ctx) {
        Session s = session(ctx);
        if (s == null) {
            s = newSession(ctx, null);
        }
        render(ctx, "login.jte", new Pages.LoginPage(s.csrf, s.flash));
        s.flash = null;
    }

    private void login(Context ctx) {
        Session pre = session(ctx);
        String name = ctx.formParam("name");
        var user = users.authenticate(name, ctx.formParam("password"));
        if (user.isEmpty()) {
            LOG.info("Review workspace: failed login for '{}' from {}", safe(name), ctx.ip());
            pre.flash = users.locked(name) ? "Too many failed attempts: wait a few minutes and try again."
                    : "The name or the password is not right.";
            ctx.redirect("/login");
            return;
        }
        sessions.remove(pre.id); // a new session id at login (no session fixation)
        newSession(ctx, user.get());
        LOG.info("Review workspace: {} ({}) logged in", user.get().name(), user.get().role().code());
        ctx.redirect("/");
    }

    private void logout(Context ctx) {
        Session s = session(ctx);
        if (s != null) {
            sessions.remove(s.id);
        }
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        ctx.redirect("/login");
    }

    private void startPage(Context ctx) {
        Session s = user(ctx);
        CaseSnapshot snap = store.snapshot();
        long awaiting = 0;
        long cents = 0;
        long visible = 0;
        Map<String, long[]> now = new java.util.TreeMap<>();
        for (Case c : snap.cases) {
            if (!s.user.seesRegion(c.region())) {
                continue;
            }
            visible++;
            if (c.awaitingReview()) {
                awaiting++;
                cents += c.amount() == null ? 0 : c.amount().movePointRight(2).longValue();
            }
            long[] n = now.computeIfAbsent(c.ruleId() + "\u001f" + c.ruleVersion(), k -> new long[3]);
            n["confirmed".equals(c.disposition()) ? 0 : "dismissed".equals(c.disposition()) ? 1 : 2]++;
        }
        Map<String, CaseSnapshot.Precision> atRun = new java.util.HashMap<>();
        snap.precision.forEach(p -> atRun.put(p.ruleId() + "\u001f" + p.ruleVersion(), p));
        List<Pages.PrecisionLine> lines = new java.util.ArrayList<>();
        now.forEach((k, n) -> {
            String[] parts = k.split("\u001f", -1);
            CaseSnapshot.Precision p = atRun.get(k);
            lines.add(new Pages.PrecisionLine(parts[0], parts[1], n[0], n[1], n[2],
                    Pages.percent(n[0] + n[1] == 0 ? null : (double) n[0] / (n[0] + n[1])),
                    p == null ? "" : Pages.percent(p.precision())));
        });
        render(ctx, "start.jte", new Pages.StartPage(layout("CrossCheck review", s), visible, awaiting,
                java.math.BigDecimal.valueOf(cents, 2), lines, snap.precisionRun,
                snap.runs.isEmpty() ? null : snap.runs.get(0)));
    }

    private void queuePage(Context ctx) {
        Session s = user(ctx);
        CaseSnapshot snap = store.snapshot();
        CaseQuery q = CaseQuery.from(ctx::queryParam);
        CaseQuery.Result r = q.run(snap, s.user);
        Map<String, List<String>> values = new java.util.LinkedHashMap<>(snap.values);
        if (s.user.role() == Users.Role.RISK_OFFICER) {
            values.put("region", snap.values.get("region").stream().filter(s.user::seesRegion).toList());
        }
        String flash = s.flash;
        s.flash = null;
        render(ctx, "queue.jte", new Pages.QueuePage(layout("Work queue", s), q, r, values, flash));
    }

    private Case visibleCase(Context ctx, Session s) {
        if (!s.user.seesIdentities()) {
            throw new Refusal(403, "Your role (analyst) does not open case pages: they show identities. "
                    + "Use the queue's counts or the analyst tables.");
        }
        Case c = store.snapshot().get(ctx.pathParam("id"));
        if (c == null || !s.user.seesRegion(c.region())) {
            throw new Refusal(404, "There is no such case, or it is outside your regions.");
        }
        return c;
    }

    private void casePage(Context ctx) {
        Session s = user(ctx);
        Case c = visibleCase(ctx, s);
        String flash = s.flash;
        s.flash = null;
        renderCase(ctx, s, c, flash, false);
    }

    private void renderCase(Context ctx, Session s, Case c, String message, boolean conflict) {
        CaseSnapshot snap = store.snapshot();
        List<Case> others = snap.sameSubject(c).stream().filter(o -> s.user.seesRegion(o.region())).toList();
        String back = ctx.formParam("back") != null ? safeBack(ctx.formParam("back")) : safeBack(ctx.queryParam("back"));
        render(ctx, "case.jte", new Pages.CasePage(layout("Case " + c.id(), s), c, EvidenceText.tables(c.evidence()),
                Pages.timeline(snap, c), others, store.dismissReasons(), message, conflict, back));
    }

    private void action(Context ctx) {
        Session s = user(ctx);
        Case c = visibleCase(ctx, s);
        if (!s.user.mayAct()) {
            throw new Refusal(403, "Your role may not change cases.");
        }
        long revision;
        try {
            revision = Long.parseLong(ctx.formParam("revision"));
        } catch (NumberFormatException | NullPointerException e) {
            throw new Refusal(400, "The form has no case revision; open the case again.");
        }
        String kind = ctx.formParam("action");
        CaseStore.Outcome o = store.act(s.user, c.id(), revision, kind == null ? "" : kind, ctx.formParam("reason"),
                ctx.formParam("note"), ctx.formParam("assignee"));
        Case now = store.snapshot().get(c.id());
        if (o.conflict() != null) {
            LOG.info("Review workspace: {} on case {}: conflict (page revision {}, case revision {})", s.user.name(),
                    c.id(), revision, o.conflict().currentRevision());
            ctx.status(409);
            renderCase(ctx, s, now, Pages.conflictMessage(store.snapshot(), o.conflict()), true);
            return;
        }
        if (o.rejected() != null) {
            ctx.status(400);
            renderCase(ctx, s, now, "Not saved: " + o.rejected(), true);
            return;
        }
        LOG.info("Review workspace: {} {} case {} (revision {} -> {})", s.user.name(), kind, c.id(), revision,
                now.revision());
        String what = switch (kind) {
            case "confirm" -> "confirmed";
            case "dismiss" -> "dismissed";
            case "reopen" -> "reopened";
            default -> "assigned";
        };
        s.flash = o.applied() ? "Case " + c.id() + " " + what + "." : "Nothing changed: case " + c.id()
                + " already showed that.";
        String back = safeBack(ctx.formParam("back"));
        ctx.redirect(kind.equals("assign") ? "/case/" + c.id() + "?back=" + java.net.URLEncoder.encode(back,
                java.nio.charset.StandardCharsets.UTF_8) : back);
    }

    /** Only a queue URL of this site is a place to go back to (no open redirect). */
    static String safeBack(String back) {
        return back != null && back.startsWith("/queue") && !back.contains("//") && !back.contains("\\") ? back : "/queue";
    }

    private static String safe(String name) {
        return org.crosscheck.core.Redaction.identities(name == null ? "" : name.replaceAll("[\\r\\n]", " "));
    }

    private static Pages.Layout layout(String title, Session s) {
        return new Pages.Layout(title, s.user, s.csrf);
    }
}
