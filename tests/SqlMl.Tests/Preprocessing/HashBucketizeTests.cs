using System.Globalization;
using System.Text;
using SqlMl.Data;
using SqlMl.Preprocessing;

namespace SqlMl.Tests.Preprocessing;

/// <summary>
/// ML.HASH_BUCKETIZE and the farm_fingerprint function in SQL: BigQuery's buckets (FARM_FINGERPRINT read as unsigned,
/// modulo the size) on random strings of every length class against the plain reference, and the function being
/// there on every connection (shared databases, read-only files, reopened files with TRANSFORM models).
/// </summary>
public class HashBucketizeTests
{
    private static readonly string[] Pieces = ["a", "b", "Z", "0", "9", " ", "-", "é", "€", "😀", "ß", "日本"];

    [Fact]
    public void Random_strings_of_every_length_get_the_reference_buckets()
    {
        var rng = new Random(6);
        var strings = new List<string?>();
        foreach (int length in new[] { 0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 300 })
        {
            for (int k = 0; k < 3; k++)
            {
                var sb = new StringBuilder();
                while (Encoding.UTF8.GetByteCount(sb.ToString()) < length) sb.Append(Pieces[rng.Next(k == 0 ? 5 : Pieces.Length)]);
                strings.Add(sb.ToString());
            }
        }
        strings.Add(null);
        using var db = new TestDb();
        db.Execute("CREATE TABLE s AS SELECT * FROM (VALUES " +
            string.Join(", ", strings.Select((s, i) => $"({i}, {(s is null ? "NULL::VARCHAR" : "'" + s + "'")})")) + ") v(id, s)");
        foreach (long size in new[] { 0L, 1L, 3L, 7L, 1000L, 1L << 31, (1L << 62) + 12345, long.MaxValue })
        {
            var rows = db.Rows($"SELECT ML.HASH_BUCKETIZE(s, {size.ToString(CultureInfo.InvariantCulture)}) FROM s ORDER BY id");
            for (int i = 0; i < strings.Count; i++)
            {
                long? expected = strings[i] is { } str ? PlainPreprocessing.HashBucket(str, size) : null;
                Assert.True(expected == (long?)rows[i][0], $"size {size}, string #{i} ({strings[i]?.Length} chars): expected {expected}, got {rows[i][0]}");
            }
        }
    }

    [Fact]
    public void Farm_fingerprint_is_a_sql_function_with_bigquerys_values()
    {
        using var db = new TestDb();
        var row = db.Rows("SELECT farm_fingerprint(''), farm_fingerprint('alphabet'), farm_fingerprint('Amazon Redshift'), farm_fingerprint(NULL), ML.HASH_BUCKETIZE('alphabet', 0), ML.HASH_BUCKETIZE(NULL, 3)")[0];
        Assert.Equal<object?>([-7286425919675154353L, -2427165924636348523L, 8085098817162212970L, null, -2427165924636348523L, null], row);
        // BigQuery's FARM_FINGERPRINT documentation example: CONCAT(CAST(x AS STRING), y, CAST(z AS STRING)).
        Assert.Equal<object?>([-1541654101129638711L, 2794438866806483259L, -4880158226897771312L],
            db.Rows("SELECT farm_fingerprint(CAST(x AS VARCHAR) || y || CAST(z AS VARCHAR)) FROM (VALUES (1, 'foo', true), (2, 'apple', false), (3, '', true)) t(x, y, z) ORDER BY x")
                .Select(r => r[0]));
        Assert.Equal("BIGINT", db.Scalar("SELECT typeof(farm_fingerprint('a'))"));
    }

    [Fact]
    public void Constant_and_repeated_vectors_hash_every_row()
    {
        using var db = new TestDb();
        // A constant column over several chunks, and a value chosen per row from a small list.
        var rows = db.Rows("""
            SELECT ML.HASH_BUCKETIZE(c, 3), ML.HASH_BUCKETIZE(v, 3), farm_fingerprint(v), v
            FROM (SELECT 'd' AS c, ['a', 'b', 'c', 'd', NULL][i % 5 + 1] AS v, i FROM range(5000) r(i)) ORDER BY i
            """);
        Assert.Equal(5000, rows.Count);
        Assert.All(rows, r => Assert.Equal(2L, r[0]));
        Assert.All(rows, r => Assert.Equal(r[3] is string v ? PlainPreprocessing.HashBucket(v, 3) : null, (long?)r[1]));
        Assert.All(rows, r => Assert.Equal(r[3] is string v ? PlainPreprocessing.HashBucket(v, 0) : null, (long?)r[2]));
    }

    [Fact]
    public void Buckets_use_the_unsigned_fingerprint()
    {
        using var db = new TestDb();
        // '' has the negative fingerprint -7286425919675154353 = 0x9ae16a3b2f90404f unsigned, which is 3 mod 10 (signed: -3).
        Assert.Equal(3L, db.Scalar("SELECT ML.HASH_BUCKETIZE('', 10)"));
        Assert.Equal(unchecked((long)(0x9ae16a3b2f90404fUL % long.MaxValue)), db.Scalar($"SELECT ML.HASH_BUCKETIZE('', {long.MaxValue})"));
    }

    [Fact]
    public void Connections_sharing_a_database_all_have_the_function()
    {
        using (var source = new SqlMlDataSource("Data Source=:memory:"))
        {
            using var a = source.OpenConnection();
            using var b = source.OpenConnection();
            foreach (var conn in new[] { a, b })
            {
                using var cmd = conn.CreateCommand();
                cmd.CommandText = "SELECT ML.HASH_BUCKETIZE('d', 3)";
                Assert.Equal(2L, cmd.ExecuteScalar());
            }
        }
        string dir = Directory.CreateTempSubdirectory("sqlml").FullName;
        string path = Path.Combine(dir, "h.duckdb");
        try
        {
            using (var first = new TestDb(path))
            using (var second = new TestDb(path))
            {
                first.Execute("CREATE TABLE t AS SELECT 'c' AS s");
                Assert.Equal(1L, second.Scalar("SELECT ML.HASH_BUCKETIZE(s, 3) FROM t"));
            }
            using var readOnly = new SqlMlConnection($"Data Source={path};Read Only=True");
            readOnly.Open();
            using var cmd = readOnly.CreateCommand();
            cmd.CommandText = "SELECT farm_fingerprint(s) FROM t";
            Assert.Equal(FarmFingerprint.Of("c"), cmd.ExecuteScalar());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_transform_model_hashes_again_after_the_database_file_is_reopened()
    {
        string dir = Directory.CreateTempSubdirectory("sqlml").FullName;
        string path = Path.Combine(dir, "m.duckdb");
        try
        {
            double before;
            using (var db = new TestDb(path))
            {
                db.Execute("CREATE TABLE t AS SELECT s, 10.0 * (i % 4) + 1 AS y FROM range(40) r(i), (SELECT ['a', 'b', 'c', 'd'][i % 4 + 1] AS s)");
                db.Execute("""
                    CREATE MODEL m TRANSFORM(CAST(ML.HASH_BUCKETIZE(s, 3) AS VARCHAR) AS h, y)
                    OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT s, y FROM t
                    """);
                before = db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL m, (SELECT 'd' AS s))");
            }
            using (var db = new TestDb(path))
            {
                Assert.Equal(before, db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL m, (SELECT 'd' AS s))"), 12);
                Assert.Equal(["0", "1", "1", "2"], Show.Column(db, "SELECT h FROM ML.TRANSFORM(MODEL m, (SELECT * FROM (VALUES ('a'), ('b'), ('c'), ('d')) v(s))) ORDER BY h"));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
