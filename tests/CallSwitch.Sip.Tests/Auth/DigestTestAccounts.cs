using CallSwitch.Sip.Auth;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Sip.Tests.Auth;

/// <summary>Shared accounts and a credentials builder that mimics what a phone would send.</summary>
internal static class DigestTestAccounts
{
    public const string Realm = "callswitch";
    public const string User = "1001";
    public const string Password = "s3cr3t";

    public static InMemoryDigestCredentialStore CreateStore()
    {
        var store = new InMemoryDigestCredentialStore();
        store.SetPassword(User, Realm, Password);
        store.SetPassword("1002", Realm, "other-password");
        return store;
    }

    public static FakeTimeProvider CreateTime() => new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    public static DigestServer CreateServer(TimeProvider time, bool allowRfc2069 = false, int maxTrackedNonces = 100_000) =>
        new(
            new DigestServerOptions
            {
                Realm = Realm,
                NonceLifetime = TimeSpan.FromMinutes(5),
                AllowRfc2069 = allowRfc2069,
                MaxTrackedNonces = maxTrackedNonces,
            },
            time);

    /// <summary>Builds a credentials value the way a UA computes it.</summary>
    public static string Sign(
        string nonce,
        uint nc = 1,
        DigestAlgorithm algorithm = DigestAlgorithm.Md5,
        string method = "REGISTER",
        string uri = "sip:127.0.0.1:5060",
        string user = User,
        string password = Password,
        string realm = Realm,
        string? qop = "auth",
        string cnonce = "0a4f113b")
    {
        var ha1 = DigestCalculator.ComputeHa1(algorithm, user, realm, password);
        var ha2 = DigestCalculator.ComputeHa2(algorithm, method, uri);
        var ncText = qop is null ? null : DigestCalculator.FormatNonceCount(nc);
        var response = DigestCalculator.ComputeResponse(algorithm, ha1, nonce, ncText, qop is null ? null : cnonce, qop, ha2);
        return new DigestCredentials
        {
            Username = user,
            Realm = realm,
            Nonce = nonce,
            Uri = uri,
            Response = response,
            AlgorithmName = DigestAlgorithms.GetName(algorithm),
            Cnonce = qop is null ? null : cnonce,
            Qop = qop,
            NonceCount = ncText,
        }.ToHeaderValue();
    }
}
