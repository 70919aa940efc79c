using SqlMl.Data.Internal.Native;
using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>A reader seen only as a batch stream, so KMeansRawData takes its batch path (the reference for the
/// whole-column reads).</summary>
internal sealed class BatchStream(ChunkTrainingData inner) : ITrainingData
{
    public TrainingSchema Schema => inner.Schema;

    public IReadOnlyList<CategoryDictionary> Dictionaries => inner.Dictionaries;

    public IEnumerable<ColumnBatch> ReadBatches(CancellationToken cancellationToken) => inner.ReadBatches(cancellationToken);
}
