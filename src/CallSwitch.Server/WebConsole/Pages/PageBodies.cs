namespace CallSwitch.Server.WebConsole.Pages;

/// <summary>The skeleton of each page (headings, forms, empty tables), in the user's language; the page's script fills it.</summary>
internal static class PageBodies
{
    public static string For(ConsolePage page, string language, string? id)
    {
        string W(string key) => PageLayout.Encode(ConsoleText.Get(key, language));
        string Th(params string[] keys) => string.Concat(keys.Select(k => $"<th scope=\"col\">{W(k)}</th>"));
        return page.Script switch
        {
            "calls.js" => $"""
                <p class="status"><span id="feed-state" aria-live="polite">…</span></p>
                <section id="listen" class="listen" hidden aria-live="polite">
                <strong id="listen-call"></strong> <label>{W("listen.level")} <meter id="listen-level" min="0" max="1" value="0"></meter></label>
                <button type="button" id="listen-stop">{W("btn.stop")}</button></section>
                <table class="grid"><thead><tr>{Th("col.agent", "col.campaign", "col.direction", "col.state", "col.duration", "col.recording", "col.actions")}</tr></thead>
                <tbody id="calls"></tbody></table>
                <p id="calls-empty" hidden>{W("calls.empty")}</p>
                """,
            "recordings.js" => $"""
                <form id="search" class="filters" role="search">
                <label>{W("number")} <input name="number" id="number" inputmode="tel"></label>
                <label>{W("from")} <input name="from" id="from" type="date"></label>
                <label>{W("to")} <input name="to" id="to" type="date"></label>
                <label>{W("col.campaign")} <input name="campaign" id="campaign"></label>
                <label>{W("col.agent")} <input name="agent" id="agent"></label>
                <label>{W("col.status")} <select name="status" id="status"><option value="">{W("any")}</option>
                <option value="complete">{W("status.complete")}</option><option value="incomplete">{W("status.incomplete")}</option>
                <option value="in-progress">{W("status.in-progress")}</option></select></label>
                <button type="submit" id="search-button">{W("search")}</button></form>
                <p id="search-error" class="refused" role="alert" hidden></p>
                <p id="count" aria-live="polite"></p>
                <table class="grid"><thead><tr>{Th("col.started", "col.duration", "col.campaign", "col.agent", "col.number", "col.status", "col.actions")}</tr></thead>
                <tbody id="results"></tbody></table>
                <nav class="pager"><button type="button" id="first-page" hidden>{W("first")}</button> <button type="button" id="next-page" hidden>{W("next")}</button></nav>
                """,
            "player.js" => $"""
                <section id="recording" data-id="{PageLayout.Encode(id ?? string.Empty)}"><dl id="facts" class="facts"></dl></section>
                <p id="player-error" class="refused" role="alert" hidden></p>
                <form id="purpose-form" class="filters" hidden>
                <label>{W("purpose")} <select id="purpose" required></select></label>
                <label>{W("reason")} <input id="reason"></label>
                <button type="submit" id="open">{W("listen.recording")}</button></form>
                <form id="extract-form" class="filters" hidden>
                <label>{W("purpose")} <select id="extract-purpose" required></select></label>
                <button type="submit" id="extract">{W("extract.make")}</button></form>
                <p id="extract-result" aria-live="polite" hidden></p>
                <section id="player" hidden>
                <audio id="audio" controls preload="auto"></audio>
                <div class="waves"><p>{W("channel.agent")}</p><svg id="wave-agent" class="wave" viewBox="0 0 1000 60" preserveAspectRatio="none" role="img" aria-label="{W("channel.agent")}"></svg>
                <p>{W("channel.prospect")}</p><svg id="wave-prospect" class="wave" viewBox="0 0 1000 60" preserveAspectRatio="none" role="img" aria-label="{W("channel.prospect")}"></svg></div>
                <p><a id="download" hidden>{W("download")}</a></p>
                <h2>{W("annotations")}</h2><ol id="annotations"></ol>
                <form id="annotate-form" class="filters" hidden><label>{W("annotation.text")} <input id="annotation-text" maxlength="2000" required></label>
                <button type="submit" id="annotate">{W("annotate")}</button></form>
                </section>
                """,
            "requests.js" => $"""
                <form id="request-form" class="filters">
                <label>{W("req.kind")} <select id="req-kind"><option value="access">{W("kind.access")}</option><option value="erasure">{W("kind.erasure")}</option>
                <option value="restriction">{W("kind.restriction")}</option><option value="objection">{W("kind.objection")}</option></select></label>
                <label>{W("number")} <input id="req-number" inputmode="tel" required autocomplete="off"></label>
                <label>{W("req.reference")} <input id="req-reference"></label>
                <label>{W("req.received")} <input id="req-received" type="date"></label>
                <label>{W("req.campaign")} <input id="req-campaign"></label>
                <button type="submit" id="req-open">{W("req.open")}</button></form>
                <p id="req-error" class="refused" role="alert" hidden></p>
                <form id="req-filter" class="filters"><label>{W("col.status")} <select id="req-status"><option value="">{W("any")}</option>
                <option value="open">{W("req.status.open")}</option><option value="done">{W("req.status.done")}</option><option value="rejected">{W("req.status.rejected")}</option></select></label>
                <label class="check"><input type="checkbox" id="req-overdue"> {W("req.overdue")}</label></form>
                <table class="grid"><thead><tr>{Th("req.code", "req.kind", "col.number", "req.received", "req.due", "col.status", "col.actions")}</tr></thead><tbody id="requests"></tbody></table>
                <section id="request" class="detail" hidden aria-live="polite">
                <h2 id="request-title"></h2><dl id="request-facts" class="facts"></dl>
                <div class="actions"><button type="button" id="req-fulfil">{W("req.fulfil")}</button>
                <button type="button" id="req-reject">{W("req.reject")}</button>
                <button type="button" id="req-lift">{W("req.lift")}</button>
                <a id="req-bundle" hidden>{W("req.bundle")}</a></div>
                <ul id="request-answer" class="answer"></ul>
                <h3>{W("req.steps")}</h3><ol id="request-steps" class="steps"></ol></section>
                <h2>{W("dnc.title")}</h2>
                <form id="dnc-form" class="filters">
                <label>{W("number")} <input id="dnc-number" inputmode="tel" required autocomplete="off"></label>
                <label>{W("col.campaign")} <input id="dnc-campaign" placeholder="{W("dnc.every")}"></label>
                <button type="submit" id="dnc-add">{W("dnc.add")}</button> <button type="button" id="dnc-remove">{W("dnc.remove")}</button></form>
                <p id="dnc-error" class="refused" role="alert" hidden></p>
                <table class="grid"><thead><tr>{Th("col.number", "col.campaign", "dnc.added", "dnc.source")}</tr></thead><tbody id="dnc"></tbody></table>
                """,
            "holds.js" => $"""
                <form id="hold-form" class="filters">
                <label>{W("holds.scope")} <select id="hold-scope"><option value="recording">recording</option><option value="call">call</option>
                <option value="campaign">campaign</option><option value="number">number</option></select></label>
                <label>{W("holds.target")} <input id="hold-target" required></label>
                <label>{W("reason")} <input id="hold-reason" required></label>
                <label>{W("holds.requestedBy")} <input id="hold-requested-by" required></label>
                <button type="submit" id="hold-place">{W("holds.place")}</button></form>
                <p id="hold-error" class="refused" role="alert" hidden></p>
                <table class="grid"><thead><tr>{Th("holds.scope", "reason", "holds.requestedBy", "holds.placed", "col.actions")}</tr></thead><tbody id="holds"></tbody></table>
                """,
            "indicators.js" => $"""
                <form id="kpi-form" class="filters"><label>{W("from")} <input id="kpi-from" type="date" required></label>
                <label>{W("to")} <input id="kpi-to" type="date" required></label><button type="submit">{W("search")}</button>
                <a id="kpi-csv" href="#">{W("kpi.csv")}</a></form>
                <svg id="kpi-chart" class="chart" viewBox="0 0 600 220" role="img" aria-label="{W("nav.indicators")}"></svg>
                <table class="grid"><thead><tr>{Th("col.campaign", "kpi.calls", "kpi.recorded", "kpi.informed", "kpi.purged", "kpi.oppositions")}</tr></thead><tbody id="kpis"></tbody></table>
                """,
            "campaigns.js" => $"""
                <p id="config-state"></p>
                <table class="grid"><thead><tr>{Th("col.campaign", "campaigns.mode", "campaigns.retention", "campaigns.purposes")}</tr></thead><tbody id="campaigns"></tbody></table>
                """,
            _ => $"""
                <form id="audit-form" class="filters"><label>{W("audit.actor")} <input id="audit-actor"></label>
                <label>{W("from")} <input id="audit-from" type="date"></label><button type="submit">{W("search")}</button>
                <button type="button" id="audit-verify">{W("audit.verify")}</button></form>
                <p id="verify-result" aria-live="polite"></p>
                <table class="grid"><thead><tr>{Th("audit.at", "audit.actor", "audit.action", "audit.detail")}</tr></thead><tbody id="entries"></tbody></table>
                """,
        };
    }
}
