using System.Text;
using SqlMl.Preprocessing;

namespace SqlMl.Tests.Preprocessing;

/// <summary>
/// FarmHash Fingerprint64 (BigQuery's FARM_FINGERPRINT) against published vectors: BigQuery's and Redshift's
/// documentation, Guava's and other ports' test suites, and the farmhash test table (its farmhashna column), which
/// together cover every length class: 0, 1–3, 4–7, 8–16, 17–32, 33–64 and longer than 64 bytes (one, two and
/// several 64-byte blocks, and an exact multiple of 64), and a multi-byte UTF-8 character.
/// </summary>
public class FarmFingerprintTests
{
    [Theory]
    // BigQuery, Redshift and Guava documentation examples (signed, as FARM_FINGERPRINT returns them).
    [InlineData("", -7286425919675154353L)]
    [InlineData("alphabet", -2427165924636348523L)]
    [InlineData("1footrue", -1541654101129638711L)]
    [InlineData("2applefalse", 2794438866806483259L)]
    [InlineData("3true", -4880158226897771312L)]
    [InlineData("Amazon Redshift", 8085098817162212970L)]
    [InlineData("test", 8581389452482819506L)]
    [InlineData("testtesttesttesttesttesttesttest", -4196240717365766262L)]
    public void Signed_fingerprints_match_the_documented_values(string s, long expected) =>
        Assert.Equal(expected, FarmFingerprint.Of(s));

    [Theory]
    [InlineData("", 0x9ae16a3b2f90404fUL)]
    [InlineData("a", 0xb3454265b6df75e3UL)]
    [InlineData("ab", 0xaa8d6e5242ada51eUL)]
    [InlineData("abc", 0x24a5b3a074e7f369UL)]
    [InlineData("abcd", 0x1a5502de4a1f8101UL)]
    [InlineData("abcdefg", 0x3c40c92b1ccb7355UL)]
    [InlineData("abcdefgh", 0xfee9d22990c82909UL)]
    [InlineData("0123456789", 0xad052244b781c4ebUL)]
    [InlineData("0123456789'01234", 0x4283d4ef43627f64UL)]
    [InlineData("0123456789=012345", 0x46a7416ed4861e3bUL)]
    [InlineData("0123456789%0123456789£", 0x4dbd128af51d77e8UL)]
    [InlineData("size:  a.out:  bad magic", 0x80d73b843ba57db8UL)]
    [InlineData("C is as portable as Stonehedge!!", 0xb944f8a16261e414UL)]
    [InlineData("Discard medicine more than two years old.", 0xe8f89ab6df9bdd25UL)]
    [InlineData("His money is twice tainted: 'taint yours and 'taint mine.", 0xec8848fd3b266c10UL)]
    [InlineData("The days of the digital watch are numbered.  -Tom Stoppard", 0x2a578b80bb82147cUL)]
    [InlineData("For every action there is an equal and opposite government program.", 0x55182f8859eca4ceUL)]
    [InlineData("You remind me of a TV show, but that's all right: I watch it anyway.", 0xabcdb319fcf2826cUL)]
    [InlineData("There is no reason for any individual to have a computer in their home. -Ken Olsen, 1977", 0x7e85d7b050ed2967UL)]
    [InlineData("The fugacity of a constituent in a mixture of gases at a given temperature is proportional to its mole fraction.  Lewis-Randall Rule", 0x098eff6958c5e91aUL)]
    [InlineData("ECCD828C-5D7A-4C8B-9A1B-F244747E96C3", 9693850515132481856UL)]
    [InlineData("F7479877-4690-4A44-AFC9-8FE987EA512F:some_other_id", 6862335115798125349UL)]
    [InlineData("Q", 13816109650407654260UL)]
    [InlineData(",=", 1326014594494455617UL)]
    [InlineData("WW5", 6316074107149058620UL)]
    public void Unsigned_fingerprints_match_the_farmhash_test_table(string s, ulong expected)
    {
        Assert.Equal(expected, FarmFingerprint.Hash64(Encoding.UTF8.GetBytes(s)));
        Assert.Equal(unchecked((long)expected), FarmFingerprint.Of(s));
    }

    [Fact]
    public void Long_inputs_of_several_blocks_match_the_published_values()
    {
        Assert.Equal(3500507768004279527L, FarmFingerprint.Of(string.Concat(Enumerable.Repeat("test", 64))));
        const string lorem = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore " +
            "magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. " +
            "Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint " +
            "occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.";
        Assert.Equal(0xc3f02c4ffd5d71e6UL, FarmFingerprint.Hash64(Encoding.UTF8.GetBytes(lorem)));
    }

    [Fact]
    public void Strings_longer_than_the_stack_buffer_hash_their_utf8_bytes()
    {
        string s = string.Concat(Enumerable.Repeat("héllo wörld € ", 40));
        Assert.Equal(unchecked((long)FarmFingerprint.Hash64(Encoding.UTF8.GetBytes(s))), FarmFingerprint.Of(s));
        Assert.Equal(3500507768004279527L, FarmFingerprint.Of(string.Concat(Enumerable.Repeat("test", 64)).AsSpan()));
    }

    [Fact]
    public void Buckets_read_the_fingerprint_as_unsigned_as_in_the_documented_example()
    {
        Assert.Equal([0L, 1L, 1L, 2L], new[] { "a", "b", "c", "d" }.Select(s => FarmFingerprint.Bucket(s, 3)));
        // "" has a negative signed fingerprint: the unsigned value 0x9ae16a3b2f90404f mod 10 is 3 (signed mod would give -3).
        Assert.Equal(3L, FarmFingerprint.Bucket("", 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => FarmFingerprint.Bucket("a", 0));
    }
}
