using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>When <see cref="HeapRoom"/> collects before a training's large allocation.</summary>
public class HeapRoomTests
{
    private const long MiB = 1L << 20;

    [Theory]
    [InlineData(280, 280, 320)] // the previous training's arrays are the heap's garbage, little else
    [InlineData(280, 140, 260)] // arrays half as large as the new ones
    [InlineData(64, 64, 64 + 128)] // the smallest allocation, the most other heap
    public void Collects_when_the_previous_training_left_enough_garbage_and_little_else(long bytesMiB, long releasedMiB, long heapMiB) =>
        Assert.True(HeapRoom.ShouldCollect(bytesMiB * MiB, releasedMiB * MiB, heapMiB * MiB));

    [Theory]
    [InlineData(16, 280, 320)] // a small allocation: the collector's own schedule
    [InlineData(280, 0, 320)] // no training ended since the last collection here (or the first training of a process)
    [InlineData(280, 100, 320)] // too little garbage of ours to be worth a pause
    [InlineData(280, 280, 200)] // the arrays were already collected: the heap no longer holds them
    [InlineData(280, 280, 700)] // a host with a heap of its own: a full collection could pause it for long
    public void Leaves_the_collector_alone_otherwise(long bytesMiB, long releasedMiB, long heapMiB) =>
        Assert.False(HeapRoom.ShouldCollect(bytesMiB * MiB, releasedMiB * MiB, heapMiB * MiB));

    [Fact]
    public void Disposing_twice_is_harmless()
    {
        var room = HeapRoom.Take(HeapRoom.MinBytes - 1);
        room.Dispose();
        room.Dispose();
        using var again = HeapRoom.Take(HeapRoom.MinBytes - 1);
    }
}
