using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary><see cref="PagePopulation"/>: a hint that must never change an array's contents.</summary>
public class PagePopulationTests
{
    [Fact]
    public void Populating_keeps_every_value_and_maps_large_arrays_on_linux()
    {
        int length = (int)(PagePopulation.MinBytes / sizeof(double)) * 3 + 123;
        var arrays = new[] { GC.AllocateUninitializedArray<double>(length, pinned: true), GC.AllocateArray<double>(length, pinned: true) };
        for (int i = 0; i < length; i += 97) arrays[0][i] = i * 0.5;
        var before = arrays.Select(a => a.ToArray()).ToArray();

        bool done = PagePopulation.Populate(arrays[0]);
        PagePopulation.Populate(arrays);

        Assert.Equal(before[0], arrays[0]);
        Assert.Equal(before[1], arrays[1]);
        // MADV_POPULATE_WRITE exists from Linux 5.14; elsewhere the call is skipped.
        bool expected = OperatingSystem.IsLinux() && Environment.OSVersion.Version >= new Version(5, 14);
        Assert.Equal(expected, done);
    }

    [Fact]
    public void Small_arrays_are_left_alone()
    {
        var small = GC.AllocateArray<double>(1000, pinned: true);
        small[7] = 3.25;
        Assert.False(PagePopulation.Populate(small));
        Assert.Equal(3.25, small[7]);
    }
}
