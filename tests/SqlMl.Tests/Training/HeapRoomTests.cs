using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>When <see cref="HeapRoom"/> collects before a training's large allocation.</summary>
public class HeapRoomTests
{
    private const long MiB = 1L << 20;

    [Fact]
    public void Collects_before_a_large_allocation_when_the_heap_holds_as_much_and_little_of_it_is_live()
    {
        Assert.True(HeapRoom.ShouldCollect(280 * MiB, heap: 300 * MiB, live: 20 * MiB));
        Assert.True(HeapRoom.ShouldCollect(HeapRoom.MinBytes, heap: HeapRoom.MinBytes, live: 0));
    }

    [Theory]
    [InlineData(16, 300, 20)] // a small allocation: the collector's own schedule
    [InlineData(280, 100, 20)] // too little in the heap to be worth reusing (the first training of a process)
    [InlineData(280, 2000, 1024)] // a host with a large live heap is never paused here
    public void Leaves_the_collector_alone_otherwise(long bytesMiB, long heapMiB, long liveMiB) =>
        Assert.False(HeapRoom.ShouldCollect(bytesMiB * MiB, heapMiB * MiB, liveMiB * MiB));

    [Fact]
    public void A_small_allocation_never_collects() => Assert.False(HeapRoom.Make(HeapRoom.MinBytes - 1));
}
