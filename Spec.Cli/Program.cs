namespace Spec.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: wasmspec COMMAND ...");
        return 2;
    }
}
