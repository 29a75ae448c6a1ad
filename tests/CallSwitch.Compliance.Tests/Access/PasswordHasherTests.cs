using System.Security.Cryptography;
using CallSwitch.Compliance.Access;

namespace CallSwitch.Compliance.Tests.Access;

public class PasswordHasherTests
{
    [Fact]
    public void A_new_hash_uses_pbkdf2_sha256_with_600000_rounds_and_a_random_salt()
    {
        string first = PasswordHasher.Hash("correct horse battery staple");
        string second = PasswordHasher.Hash("correct horse battery staple");

        string[] parts = first.Split('$');
        Assert.Equal("pbkdf2-sha256", parts[0]);
        Assert.Equal("600000", parts[1]);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[3]).Length);
        Assert.NotEqual(first, second);
        Assert.DoesNotContain("horse", first, StringComparison.Ordinal);
        Assert.False(PasswordHasher.IsWeakerThanCurrent(first));
    }

    [Fact]
    public void The_hash_is_rfc_8018_pbkdf2_as_computed_independently()
    {
        string stored = PasswordHasher.Hash("s3cret", 1000);
        string[] parts = stored.Split('$');
        byte[] expected = Rfc2898DeriveBytes.Pbkdf2("s3cret"u8.ToArray(), Convert.FromBase64String(parts[2]), 1000, HashAlgorithmName.SHA256, 32);

        Assert.Equal(Convert.ToBase64String(expected), parts[3]);
        Assert.True(PasswordHasher.IsWeakerThanCurrent(stored));
    }

    [Fact]
    public void Only_the_right_password_verifies()
    {
        string stored = PasswordHasher.Hash("s3cret", 1000);

        Assert.True(PasswordHasher.Verify("s3cret", stored));
        Assert.False(PasswordHasher.Verify("s3cret ", stored));
        Assert.False(PasswordHasher.Verify("S3cret", stored));
        Assert.False(PasswordHasher.Verify(string.Empty, stored));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("md5$1$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$10$not base64$AAAA")]
    [InlineData("pbkdf2-sha256$10$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")]
    public void A_malformed_stored_hash_matches_nothing(string stored)
    {
        Assert.False(PasswordHasher.Verify("anything", stored));
    }

    [Fact]
    public void An_empty_password_is_refused()
    {
        Assert.Throws<ArgumentException>(() => PasswordHasher.Hash(string.Empty));
    }
}
