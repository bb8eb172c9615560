using WasmSpec;

// Calling exports through typed delegates: each is checked against the export's type once, when it is made.
public static class TypedExports
{
    public static void Run(string folder)
    {
        var engine = new Engine();
        var module = Module.FromText(engine, """
            (module
              (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
              (func (export "divmod") (param i64 i64) (result i64 i64)
                (i64.div_u (local.get 0) (local.get 1)) (i64.rem_u (local.get 0) (local.get 1)))
              (func (export "hypot") (param f64 f64) (result f64)
                (f64.sqrt (f64.add (f64.mul (local.get 0) (local.get 0)) (f64.mul (local.get 1) (local.get 1))))))
            """);
        using var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, module);

        Func<int, int, int> add = instance.GetFunction<int, int, int>("add");
        var divmod = instance.GetFunction<long, long, (long, long)>("divmod");
        var hypot = instance.GetFunction<double, double, double>("hypot");
        Console.WriteLine($"add(2, 40) = {add(2, 40)}");
        Console.WriteLine($"divmod(47, 5) = {divmod(47, 5)}");
        Console.WriteLine($"hypot(3, 4) = {hypot(3, 4)}");
    }
}
