// Iced has an Assembler, a Label and a Decoder of its own; in these tests the names mean the emitter's and Iced's decoder.
global using Assembler = Spec.Native.X64.Assembler;
global using Label = Spec.Native.X64.Label;
global using Decoder = Iced.Intel.Decoder;
