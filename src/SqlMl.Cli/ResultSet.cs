using System.Data.Common;

namespace SqlMl.Cli;

/// <summary>One result set read into memory: column names, CLR and DuckDB types, and rows (NULL as null).</summary>
internal sealed class ResultSet
{
    private ResultSet(string[] names, Type[] types, string[] typeNames, List<object?[]> rows)
    {
        Names = names;
        Types = types;
        TypeNames = typeNames;
        Rows = rows;
    }

    public IReadOnlyList<string> Names { get; }

    public IReadOnlyList<Type> Types { get; }

    /// <summary>DuckDB's type names (DOUBLE, VARCHAR[], STRUCT(…)), as the reader reports them.</summary>
    public IReadOnlyList<string> TypeNames { get; }

    public IReadOnlyList<object?[]> Rows { get; }

    /// <summary>A BLOB comes as a stream over the reader's memory: copied, it outlives the row.</summary>
    private static object Owned(object value)
    {
        if (value is not Stream blob) return value;
        using (blob)
        {
            using var copy = new MemoryStream();
            blob.CopyTo(copy);
            return copy.ToArray();
        }
    }

    /// <summary>Reads the reader's current result set to its end.</summary>
    public static ResultSet Read(DbDataReader reader)
    {
        int n = reader.FieldCount;
        var types = new Type[n];
        var typeNames = new string[n];
        for (int i = 0; i < n; i++)
        {
            types[i] = reader.GetFieldType(i);
            typeNames[i] = reader.GetDataTypeName(i);
        }
        return new ResultSet(ColumnNames(reader), types, typeNames, ReadRows(reader).ToList());
    }

    /// <summary>The column names of the reader's current result set.</summary>
    public static string[] ColumnNames(DbDataReader reader) => Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();

    /// <summary>The rows of the reader's current result set, read as they are enumerated.</summary>
    public static IEnumerable<object?[]> ReadRows(DbDataReader reader)
    {
        int n = reader.FieldCount;
        while (reader.Read())
        {
            var row = new object?[n];
            for (int i = 0; i < n; i++) row[i] = reader.IsDBNull(i) ? null : Owned(reader.GetValue(i));
            yield return row;
        }
    }
}
