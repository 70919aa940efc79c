namespace SqlMl.Tests.EndToEnd;

public class PenguinsQuickStartTests
{
    [Fact]
    public void Linear_model_on_penguins_predicts_every_input_row_with_passthrough_columns()
    {
        using var db = new TestDb();
        db.LoadPenguins();
        db.Execute("""
            CREATE MODEL penguin_weight
              OPTIONS(model_type = 'linear_reg', input_label_cols = ['body_mass_g'])
            AS SELECT * FROM penguins WHERE body_mass_g IS NOT NULL
            """);
        var cols = db.Columns("SELECT * FROM ML.PREDICT(MODEL penguin_weight, TABLE penguins)");
        Assert.Equal(["species", "island", "culmen_length_mm", "culmen_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "predicted_body_mass_g"], cols);
        Assert.Equal(344L, db.Scalar("SELECT count(predicted_body_mass_g) FROM ML.PREDICT(MODEL penguin_weight, TABLE penguins)"));
        double r2 = db.Double("SELECT r2_score FROM ML.EVALUATE(MODEL penguin_weight)");
        Assert.InRange(r2, 0.85, 0.9);
    }
}
