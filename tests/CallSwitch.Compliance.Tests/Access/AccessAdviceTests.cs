using CallSwitch.Compliance.Access;

namespace CallSwitch.Compliance.Tests.Access;

public class AccessAdviceTests
{
    [Fact]
    public void The_defaults_get_no_warning() =>
        Assert.Empty(AccessAdvice.For(new CampaignAccess { CampaignId = "spring", Purposes = ["training"] }));

    [Fact]
    public void Downloads_beyond_the_dpo_and_supervisors_hearing_full_calls_are_flagged_with_their_reasons()
    {
        var generous = new CampaignAccess
        {
            CampaignId = "spring",
            ListenRoles = new HashSet<Role> { Role.Supervisor, Role.Quality },
            DownloadRoles = new HashSet<Role> { Role.Dpo, Role.Manager, Role.Quality },
        };

        Assert.Equal(
            [
                "campaign spring lets quality, manager download plain files: the CNIL asks for listening without local copies; keep downloads to the dpo, for a stated reason",
                "campaign spring lets supervisors hear full recordings: least privilege gives them anonymised training extracts, not the calls",
            ],
            AccessAdvice.For(generous));
    }

    [Fact]
    public void Agents_without_a_private_prefix_are_named()
    {
        Assert.Null(AccessAdvice.WithoutPrivatePrefix([]));
        Assert.StartsWith("agent(s) 1001, 1002 have no private-call prefix", AccessAdvice.WithoutPrivatePrefix(["1001", "1002"]), StringComparison.Ordinal);
    }
}
