using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace SqlMl.Preprocessing;

/// <summary>
/// FarmHash's Fingerprint64 (the <c>farmhashna</c> 64-bit hash, seed-free and stable across platforms and
/// versions): BigQuery's <c>FARM_FINGERPRINT</c>, which its ML.HASH_BUCKETIZE buckets. Strings are hashed as their
/// UTF-8 bytes. Written from the published algorithm and checked against published vectors for every length class
/// (0–16, 17–32, 33–64 and longer).
/// </summary>
internal static class FarmFingerprint
{
    private const ulong K0 = 0xc3a5c85c97cb3127UL;
    private const ulong K1 = 0xb492b66fbe98f273UL;
    private const ulong K2 = 0x9ae16a3b2f90404fUL;

    /// <summary>Strings up to this many UTF-8 bytes are encoded on the stack.</summary>
    private const int StackBytes = 256;

    /// <summary>FARM_FINGERPRINT(s): the fingerprint of the string's UTF-8 bytes as a signed 64-bit integer.</summary>
    public static long Of(string s) => Of(s.AsSpan());

    /// <summary>FARM_FINGERPRINT of characters: the fingerprint of their UTF-8 bytes as a signed 64-bit integer.</summary>
    public static long Of(ReadOnlySpan<char> s)
    {
        int max = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (max <= StackBytes)
        {
            Span<byte> buffer = stackalloc byte[StackBytes];
            int n = Encoding.UTF8.GetBytes(s, buffer);
            return (long)Hash64(buffer[..n]);
        }
        byte[] rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            int n = Encoding.UTF8.GetBytes(s, rented);
            return (long)Hash64(rented.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The bucket BigQuery's ML.HASH_BUCKETIZE gives: the fingerprint read as unsigned, modulo <paramref name="buckets"/> (&gt; 0).</summary>
    public static long Bucket(string s, long buckets)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(buckets);
        return (long)((ulong)Of(s) % (ulong)buckets);
    }

    /// <summary>Fingerprint64 of bytes, unsigned.</summary>
    public static ulong Hash64(ReadOnlySpan<byte> s)
    {
        int len = s.Length;
        if (len <= 16) return HashLen0To16(s);
        if (len <= 32) return HashLen17To32(s);
        if (len <= 64) return HashLen33To64(s);
        return HashLonger(s);
    }

    private static ulong Fetch64(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt64LittleEndian(s[at..]);

    private static ulong Fetch32(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);

    private static ulong Rotate(ulong v, int shift) => BitOperations.RotateRight(v, shift);

    private static ulong ShiftMix(ulong v) => v ^ (v >> 47);

    private static ulong HashLen16(ulong u, ulong v, ulong mul)
    {
        ulong a = (u ^ v) * mul;
        a ^= a >> 47;
        ulong b = (v ^ a) * mul;
        b ^= b >> 47;
        return b * mul;
    }

    private static ulong HashLen0To16(ReadOnlySpan<byte> s)
    {
        int len = s.Length;
        if (len >= 8)
        {
            ulong mul = K2 + ((ulong)len * 2);
            ulong a = Fetch64(s, 0) + K2;
            ulong b = Fetch64(s, len - 8);
            ulong c = (Rotate(b, 37) * mul) + a;
            ulong d = (Rotate(a, 25) + b) * mul;
            return HashLen16(c, d, mul);
        }
        if (len >= 4)
        {
            ulong mul = K2 + ((ulong)len * 2);
            ulong a = Fetch32(s, 0);
            return HashLen16((ulong)len + (a << 3), Fetch32(s, len - 4), mul);
        }
        if (len > 0)
        {
            uint a = s[0];
            uint b = s[len >> 1];
            uint c = s[len - 1];
            uint y = a + (b << 8);
            uint z = (uint)len + (c << 2);
            return ShiftMix((y * K2) ^ (z * K0)) * K2;
        }
        return K2;
    }

    private static ulong HashLen17To32(ReadOnlySpan<byte> s)
    {
        int len = s.Length;
        ulong mul = K2 + ((ulong)len * 2);
        ulong a = Fetch64(s, 0) * K1;
        ulong b = Fetch64(s, 8);
        ulong c = Fetch64(s, len - 8) * mul;
        ulong d = Fetch64(s, len - 16) * K2;
        return HashLen16(Rotate(a + b, 43) + Rotate(c, 30) + d, a + Rotate(b + K2, 18) + c, mul);
    }

    private static ulong HashLen33To64(ReadOnlySpan<byte> s)
    {
        int len = s.Length;
        ulong mul = K2 + ((ulong)len * 2);
        ulong a = Fetch64(s, 0) * K2;
        ulong b = Fetch64(s, 8);
        ulong c = Fetch64(s, len - 8) * mul;
        ulong d = Fetch64(s, len - 16) * K2;
        ulong y = Rotate(a + b, 43) + Rotate(c, 30) + d;
        ulong z = HashLen16(y, a + Rotate(b + K2, 18) + c, mul);
        ulong e = Fetch64(s, 16) * mul;
        ulong f = Fetch64(s, 24);
        ulong g = (y + Fetch64(s, len - 32)) * mul;
        ulong h = (z + Fetch64(s, len - 24)) * mul;
        return HashLen16(Rotate(e + f, 43) + Rotate(g, 30) + h, e + Rotate(f + a, 18) + g, mul);
    }

    /// <summary>The two 64-bit halves of a weak 32-byte hash with seeds.</summary>
    private static (ulong First, ulong Second) WeakHashLen32WithSeeds(ReadOnlySpan<byte> s, int at, ulong a, ulong b)
    {
        ulong w = Fetch64(s, at);
        ulong x = Fetch64(s, at + 8);
        ulong y = Fetch64(s, at + 16);
        ulong z = Fetch64(s, at + 24);
        a += w;
        b = Rotate(b + a + z, 21);
        ulong c = a;
        a += x;
        a += y;
        b += Rotate(a, 44);
        return (a + z, b + c);
    }

    /// <summary>More than 64 bytes: 64-byte blocks into a 56-byte state, then the last 64 bytes.</summary>
    private static ulong HashLonger(ReadOnlySpan<byte> s)
    {
        const ulong seed = 81;
        int len = s.Length;
        ulong x = seed;
        ulong y = unchecked((seed * K1) + 113);
        ulong z = ShiftMix((y * K2) + 113) * K2;
        (ulong First, ulong Second) v = (0, 0);
        (ulong First, ulong Second) w = (0, 0);
        x = (x * K2) + Fetch64(s, 0);

        int end = (len - 1) / 64 * 64;
        int last64 = end + ((len - 1) & 63) - 63;
        for (int p = 0; p != end; p += 64)
        {
            x = Rotate(x + y + v.First + Fetch64(s, p + 8), 37) * K1;
            y = Rotate(y + v.Second + Fetch64(s, p + 48), 42) * K1;
            x ^= w.Second;
            y += v.First + Fetch64(s, p + 40);
            z = Rotate(z + w.First, 33) * K1;
            v = WeakHashLen32WithSeeds(s, p, v.Second * K1, x + w.First);
            w = WeakHashLen32WithSeeds(s, p + 32, z + w.Second, y + Fetch64(s, p + 16));
            (z, x) = (x, z);
        }

        ulong mul = K1 + ((z & 0xff) << 1);
        int q = last64;
        w.First += (ulong)((len - 1) & 63);
        v.First += w.First;
        w.First += v.First;
        x = Rotate(x + y + v.First + Fetch64(s, q + 8), 37) * mul;
        y = Rotate(y + v.Second + Fetch64(s, q + 48), 42) * mul;
        x ^= w.Second * 9;
        y += (v.First * 9) + Fetch64(s, q + 40);
        z = Rotate(z + w.First, 33) * mul;
        v = WeakHashLen32WithSeeds(s, q, v.Second * mul, x + w.First);
        w = WeakHashLen32WithSeeds(s, q + 32, z + w.Second, y + Fetch64(s, q + 16));
        (z, x) = (x, z);
        return HashLen16(HashLen16(v.First, w.First, mul) + (ShiftMix(y) * K0) + z, HashLen16(v.Second, w.Second, mul) + x, mul);
    }
}
