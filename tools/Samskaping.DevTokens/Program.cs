using System.Globalization;
using Samskaping.DevTokens;

// Run by ./samskaping token, which checks the options and says what they mean; this prints the token.
//   Samskaping.DevTokens --issuer I --audience A --sub S --name N --role R --sector S --minutes M
// The key is read from the environment (Auth__SigningKey) or from the file named by --key-file, never from the
// command line, where other users of the machine could see it.
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}
string Option(string name) => options.TryGetValue(name, out var value)
    ? value
    : throw new ArgumentException($"{name} is required.");

var key = Environment.GetEnvironmentVariable("Auth__SigningKey") is { Length: > 0 } fromEnvironment
    ? fromEnvironment
    : File.ReadAllText(Option("--key-file"));
if (!DevToken.IsSigningKey(key))
{
    Console.Error.WriteLine("samskaping: the signing key is not the base64 of at least 32 bytes (Auth__SigningKey or the key file)");
    return 1;
}
var now = DateTimeOffset.UtcNow;
Console.WriteLine(new DevToken(key, Option("--issuer"), Option("--audience"), Option("--role"), Option("--sector"))
{
    Subject = Option("--sub"),
    Name = Option("--name"),
    NotBefore = now,
    Expires = now.AddMinutes(int.Parse(Option("--minutes"), CultureInfo.InvariantCulture)),
}.Mint());
return 0;
