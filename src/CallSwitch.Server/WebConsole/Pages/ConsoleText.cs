using System.Collections.Frozen;

namespace CallSwitch.Server.WebConsole.Pages;

/// <summary>
/// The console's words in English and French (the seed's users are French call centres). The
/// pages are rendered in one language; the scripts get the same table as JSON.
/// </summary>
public static class ConsoleText
{
    /// <summary>The languages offered, the default first.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "fr"];

    private static readonly FrozenDictionary<string, (string En, string Fr)> Words = new Dictionary<string, (string, string)>
    {
        ["app"] = ("CallSwitch console", "Console CallSwitch"),
        ["nav.calls"] = ("Live calls", "Appels en cours"),
        ["nav.recordings"] = ("Recordings", "Enregistrements"),
        ["nav.holds"] = ("Legal holds", "Gels juridiques"),
        ["nav.indicators"] = ("Indicators", "Indicateurs"),
        ["nav.campaigns"] = ("Campaigns", "Campagnes"),
        ["nav.audit"] = ("Audit", "Journal d'audit"),
        ["signout"] = ("Sign out", "Se déconnecter"),
        ["language"] = ("Français", "English"),
        ["signin.title"] = ("Sign in", "Connexion"),
        ["signin.user"] = ("User name", "Identifiant"),
        ["signin.password"] = ("Password", "Mot de passe"),
        ["signin.failed"] = ("Sign-in failed.", "Échec de la connexion."),
        ["signin.locked"] = ("Too many failed attempts: try again later.", "Trop d'échecs : réessayez plus tard."),
        ["forbidden.title"] = ("Not allowed", "Accès refusé"),
        ["forbidden.text"] = ("Your roles do not give access to this page. The attempt was recorded.", "Vos rôles ne donnent pas accès à cette page. La tentative a été enregistrée."),
        ["calls.empty"] = ("No live call in your scope.", "Aucun appel en cours dans votre périmètre."),
        ["calls.connection"] = ("Live updates", "Mises à jour en direct"),
        ["col.agent"] = ("Agent", "Agent"),
        ["col.campaign"] = ("Campaign", "Campagne"),
        ["col.direction"] = ("Direction", "Sens"),
        ["col.state"] = ("State", "État"),
        ["col.duration"] = ("Duration", "Durée"),
        ["col.recording"] = ("Recording", "Enregistrement"),
        ["col.actions"] = ("Actions", "Actions"),
        ["col.started"] = ("Started", "Début"),
        ["col.number"] = ("Number", "Numéro"),
        ["col.status"] = ("Status", "Statut"),
        ["dir.outbound"] = ("outbound", "sortant"),
        ["dir.inbound"] = ("inbound", "entrant"),
        ["phase.dialling"] = ("dialling", "numérotation"),
        ["phase.ringing"] = ("ringing", "sonnerie"),
        ["phase.notice"] = ("notice", "annonce"),
        ["phase.connected"] = ("connected", "en ligne"),
        ["phase.on-hold"] = ("on hold", "en attente"),
        ["phase.ended"] = ("ended", "terminé"),
        ["rec.recording"] = ("recording", "enregistré"),
        ["rec.paused"] = ("paused", "en pause"),
        ["rec.off"] = ("off", "non enregistré"),
        ["rec.refused"] = ("refused", "refusé"),
        ["btn.listen"] = ("Listen", "Écouter"),
        ["btn.stop"] = ("Stop listening", "Arrêter l'écoute"),
        ["btn.pause"] = ("Pause recording", "Suspendre l'enregistrement"),
        ["btn.resume"] = ("Resume recording", "Reprendre l'enregistrement"),
        ["listen.level"] = ("Level", "Niveau"),
        ["listen.ended"] = ("Listening ended.", "Écoute terminée."),
        ["search"] = ("Search", "Rechercher"),
        ["number"] = ("Phone number", "Numéro de téléphone"),
        ["from"] = ("From", "Du"),
        ["to"] = ("To", "Au"),
        ["any"] = ("any", "tous"),
        ["status.complete"] = ("complete", "complet"),
        ["status.incomplete"] = ("incomplete", "incomplet"),
        ["status.in-progress"] = ("in progress", "en cours"),
        ["status.erased"] = ("erased", "effacé"),
        ["next"] = ("Next page", "Page suivante"),
        ["first"] = ("First page", "Première page"),
        ["results"] = ("result(s)", "résultat(s)"),
        ["open"] = ("Open", "Ouvrir"),
        ["purpose"] = ("Purpose", "Finalité"),
        ["reason"] = ("Reason (required for a dispute)", "Motif (obligatoire pour un litige)"),
        ["listen.recording"] = ("Listen", "Écouter"),
        ["download"] = ("Download", "Télécharger"),
        ["channel.agent"] = ("Agent (left)", "Agent (gauche)"),
        ["channel.prospect"] = ("Prospect (right)", "Prospect (droite)"),
        ["notice"] = ("notice", "annonce"),
        ["pause"] = ("pause", "pause"),
        ["annotations"] = ("Annotations", "Annotations"),
        ["annotate"] = ("Add an annotation at the current position", "Annoter à la position courante"),
        ["annotation.text"] = ("Annotation", "Annotation"),
        ["error"] = ("Error", "Erreur"),
        ["holds.place"] = ("Place a hold", "Placer un gel"),
        ["holds.release"] = ("Release", "Lever"),
        ["holds.scope"] = ("Covers", "Périmètre"),
        ["holds.target"] = ("Recording, call, campaign or number", "Enregistrement, appel, campagne ou numéro"),
        ["holds.requestedBy"] = ("Requested by", "Demandé par"),
        ["holds.placed"] = ("Placed", "Placé"),
        ["kpi.period"] = ("Period", "Période"),
        ["kpi.calls"] = ("Calls", "Appels"),
        ["kpi.recorded"] = ("Share recorded", "Part enregistrée"),
        ["kpi.informed"] = ("Share informed", "Part informée"),
        ["kpi.purged"] = ("Recordings purged", "Enregistrements purgés"),
        ["kpi.oppositions"] = ("Oppositions", "Oppositions"),
        ["kpi.csv"] = ("Export CSV", "Exporter en CSV"),
        ["campaigns.mode"] = ("Recording", "Enregistrement"),
        ["campaigns.retention"] = ("Retention (days)", "Conservation (jours)"),
        ["campaigns.purposes"] = ("Purposes", "Finalités"),
        ["campaigns.reload"] = ("Configuration in force", "Configuration en vigueur"),
        ["audit.verify"] = ("Verify the chain", "Vérifier la chaîne"),
        ["audit.actor"] = ("Actor", "Acteur"),
        ["audit.action"] = ("Action", "Action"),
        ["audit.at"] = ("When", "Quand"),
        ["audit.detail"] = ("Detail", "Détail"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>A word in a language (English when the language is not offered).</summary>
    public static string Get(string key, string language) =>
        Words.TryGetValue(key, out (string En, string Fr) word) ? (language == "fr" ? word.Fr : word.En) : key;

    /// <summary>The whole table in one language, for the scripts.</summary>
    public static IReadOnlyDictionary<string, string> All(string language) =>
        Words.ToDictionary(w => w.Key, w => language == "fr" ? w.Value.Fr : w.Value.En, StringComparer.Ordinal);
}
