using SqlMl.Models;
using SqlMl.Options;
using SqlMl.Parsing;

namespace SqlMl.Tests.Options;

/// <summary>MATRIX_FACTORIZATION's options (reference §2.3) and its model payload.</summary>
public class MatrixFactorizationOptionsTests
{
    private static MatrixFactorizationOptions Bind(string options)
    {
        string sql = "CREATE MODEL m OPTIONS(" + options + ") AS SELECT 1";
        var statement = (CreateModelStatement)MlStatementParser.ParseStatement(sql, SqlLexer.Tokenize(sql));
        var bound = BoundOptions.Bind(statement.Options, MatrixFactorizationOptions.ModelType, MatrixFactorizationOptions.Specs, MatrixFactorizationOptions.NotYetSupported);
        return MatrixFactorizationOptions.Bind(bound);
    }

    [Fact]
    public void Defaults_follow_bigquery()
    {
        var o = Bind("model_type = 'matrix_factorization'");
        Assert.Equal(FeedbackType.Explicit, o.Feedback);
        Assert.Null(o.NumFactors);
        Assert.Equal(("user", "item", "rating"), (o.UserColumn, o.ItemColumn, o.RatingColumn));
        Assert.Equal(1.0, o.L2Reg);
        Assert.Equal(40.0, o.WalsAlpha);
        Assert.Equal(20, o.MaxIterations);
        Assert.True(o.EarlyStop);
        Assert.Equal(0.01, o.MinRelProgress);
        Assert.Equal(new DataSplitOptions(DataSplitMethod.AutoSplit, null, null), o.Split);
    }

    [Fact]
    public void Every_option_is_bound_case_insensitively()
    {
        var o = Bind("MODEL_TYPE = 'matrix_factorization', Feedback_Type = 'implicit', NUM_FACTORS = 7, user_col = 'u', item_col = 'i', rating_col = 'r', " +
                     "l2_reg = 0, wals_alpha = 2.5, max_iterations = 3, early_stop = false, min_rel_progress = 0.1, data_split_method = 'seq', data_split_col = 'ts'");
        Assert.Equal(new MatrixFactorizationOptions(FeedbackType.Implicit, 7, "u", "i", "r", 0, 2.5, 3, false, 0.1,
            new DataSplitOptions(DataSplitMethod.Seq, 0.2, "ts")), o);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(1_000_209, 19)]
    [InlineData(1L << 40, 40)]
    public void Default_rank_is_the_floor_of_log2_of_the_rows_clamped_to_2_and_200(long rows, int rank) =>
        Assert.Equal(rank, MatrixFactorizationOptions.DefaultFactors(rows));

    [Fact]
    public void Model_payload_round_trips_and_refuses_truncation()
    {
        var users = new FactorSide(IdSet.FromIntegers([7, -3]), [0.5, -0.25], [1, 2, 3, 4], 2);
        var items = new FactorSide(IdSet.FromStrings(["a'b", "ü", "c"]), [0, 1, 2], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 2);
        var model = new MatrixFactorizationModel(FeedbackType.Explicit, "u", "i", "r", "INTEGER", "VARCHAR", 3.5, users, items, [0, 2, 3], [0, 2, 1]);
        byte[] payload = ModelPayload.Write(MatrixFactorizationOptions.ModelType, model.WriteTo);
        var back = ModelPayload.Read(payload, "m", MatrixFactorizationOptions.ModelType, MatrixFactorizationModel.ReadFrom);
        Assert.Equal(("u", "i", "r", "INTEGER", "VARCHAR", 3.5), (back.UserColumn, back.ItemColumn, back.RatingColumn, back.UserSqlType, back.ItemSqlType, back.GlobalIntercept));
        Assert.Equal(FeedbackType.Explicit, back.Feedback);
        Assert.Equal(-3L, back.Users.Ids.Integer(1));
        Assert.Equal("ü", back.Items.Ids.String(1));
        Assert.Equal(items.Factors, back.Items.Factors);
        Assert.Equal(users.Intercepts, back.Users.Intercepts);
        Assert.Equal([0, 2, 3], back.SeenOffsets);
        Assert.Equal([0, 2, 1], back.SeenItems);
        Assert.Equal(model.Predict("7", "c"), back.Predict("7", "c"));
        Assert.Equal(3.5 + 0.5 + 2 + (1 * 0.5 + 2 * 0.6), back.Predict("7", "c"), 12);
        Assert.Equal("predicted_r", back.PredictionColumn);
        var e = Assert.Throws<SqlMlException>(() => ModelPayload.Read(payload[..^6], "m", MatrixFactorizationOptions.ModelType, MatrixFactorizationModel.ReadFrom));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }
}
