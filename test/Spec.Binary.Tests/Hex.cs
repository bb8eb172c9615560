namespace Spec.Binary.Tests;

static class Hex
{
    /// <summary>Bytes from hex digits; spaces are for the reader.</summary>
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", ""));
}
