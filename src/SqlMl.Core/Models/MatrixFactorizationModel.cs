using System.Numerics.Tensors;
using SqlMl.Options;

namespace SqlMl.Models;

/// <summary>
/// An immutable matrix factorization model. The prediction for a user u and item i is
/// <c>global + b_u + c_i + x_u·y_i</c>; a side the model does not know contributes nothing, so an unseen user gets
/// <c>global + c_i</c> and an unseen pair <c>global</c> (reference §1.9). Implicit models have no intercepts (all 0),
/// so their prediction is the confidence score x_u·y_i, and 0 when either side is unknown.
/// <see cref="SeenOffsets"/>/<see cref="SeenItems"/> list the distinct (user, item) pairs of the training data
/// (CSR by user code, items ascending): ML.RECOMMEND without input returns them.
/// </summary>
internal sealed class MatrixFactorizationModel(
    FeedbackType feedback,
    string userColumn,
    string itemColumn,
    string ratingColumn,
    string userSqlType,
    string itemSqlType,
    double globalIntercept,
    FactorSide users,
    FactorSide items,
    int[] seenOffsets,
    int[] seenItems)
{
    public FeedbackType Feedback { get; } = feedback;

    public string UserColumn { get; } = userColumn;

    public string ItemColumn { get; } = itemColumn;

    public string RatingColumn { get; } = ratingColumn;

    /// <summary>The DuckDB type the user column had at training (ML.RECOMMEND returns ids with it).</summary>
    public string UserSqlType { get; } = userSqlType;

    public string ItemSqlType { get; } = itemSqlType;

    public double GlobalIntercept { get; } = globalIntercept;

    public FactorSide Users { get; } = users;

    public FactorSide Items { get; } = items;

    public int[] SeenOffsets { get; } = seenOffsets;

    public int[] SeenItems { get; } = seenItems;

    public int Rank => Users.Rank;

    /// <summary>predicted_&lt;rating_col&gt; (explicit) or predicted_&lt;rating_col&gt;_confidence (implicit).</summary>
    public string PredictionColumn => "predicted_" + RatingColumn + (Feedback == FeedbackType.Implicit ? "_confidence" : "");

    /// <summary>Prediction for user and item codes; -1 means unknown to the model.</summary>
    public double Predict(int user, int item)
    {
        double p = GlobalIntercept;
        if (user >= 0) p += Users.Intercepts[user];
        if (item >= 0) p += Items.Intercepts[item];
        if (user >= 0 && item >= 0) p += TensorPrimitives.Dot(Users.Row(user), Items.Row(item));
        return p;
    }

    /// <summary>Prediction for ids given as text (integers in invariant culture); null is unknown.</summary>
    public double Predict(string? user, string? item) =>
        Predict(user is null ? -1 : Users.Ids.CodeOf(user), item is null ? -1 : Items.Ids.CodeOf(item));

    /// <summary>
    /// Body layout (version 1): feedback string ("EXPLICIT" | "IMPLICIT"), user_col, item_col, rating_col strings,
    /// user and item SQL type strings, rank int32, global intercept double, users and items
    /// (<see cref="FactorSide.WriteTo"/>), seen pairs: int32 nnz, (users + 1) × int32 offsets, nnz × int32 item codes.
    /// </summary>
    public void WriteTo(BinaryWriter w)
    {
        w.Write(Feedback == FeedbackType.Implicit ? "IMPLICIT" : "EXPLICIT");
        w.Write(UserColumn);
        w.Write(ItemColumn);
        w.Write(RatingColumn);
        w.Write(UserSqlType);
        w.Write(ItemSqlType);
        w.Write(Rank);
        w.Write(GlobalIntercept);
        Users.WriteTo(w);
        Items.WriteTo(w);
        w.Write(SeenItems.Length);
        foreach (int o in SeenOffsets) w.Write(o);
        foreach (int i in SeenItems) w.Write(i);
    }

    public static MatrixFactorizationModel ReadFrom(BinaryReader r)
    {
        var feedback = r.ReadString() == "IMPLICIT" ? FeedbackType.Implicit : FeedbackType.Explicit;
        string user = r.ReadString(), item = r.ReadString(), rating = r.ReadString();
        string userType = r.ReadString(), itemType = r.ReadString();
        int rank = r.ReadInt32();
        double global = r.ReadDouble();
        var users = FactorSide.ReadFrom(r, rank);
        var items = FactorSide.ReadFrom(r, rank);
        int nnz = r.ReadInt32();
        var offsets = new int[users.Count + 1];
        for (int i = 0; i < offsets.Length; i++) offsets[i] = r.ReadInt32();
        var seen = new int[nnz];
        for (int i = 0; i < nnz; i++) seen[i] = r.ReadInt32();
        return new MatrixFactorizationModel(feedback, user, item, rating, userType, itemType, global, users, items, offsets, seen);
    }
}
