using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>PinnedColumnPool: reuse of KMEANS' pinned training columns between trainings.</summary>
public class PinnedColumnPoolTests
{
    [Fact]
    public void Returned_columns_are_handed_out_again_when_the_size_fits()
    {
        // An odd length no other test's training asks for, so tests running in parallel do not take it.
        const int length = 123_457;
        var a = PinnedColumnPool.Rent(length);
        Assert.True(a.Length >= length);
        PinnedColumnPool.Return([a]);
        var again = PinnedColumnPool.Rent(length - 5);
        Assert.Same(a, again);
        // Far smaller requests do not take a much longer array.
        PinnedColumnPool.Return([again]);
        var small = PinnedColumnPool.Rent(length / 2);
        Assert.NotSame(a, small);
        Assert.Same(a, PinnedColumnPool.Rent(length));
    }
}
