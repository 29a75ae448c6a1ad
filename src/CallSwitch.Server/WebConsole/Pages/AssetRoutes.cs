using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallSwitch.Server.WebConsole.Pages;

/// <summary>
/// The console's hand-written scripts and style sheet, embedded in the executable (no Node build
/// step, nothing to deploy beside it), served under /assets with their SHA-256 as ETag.
/// </summary>
internal static class AssetRoutes
{
    private const string Prefix = "console.";

    private static readonly FrozenDictionary<string, (byte[] Bytes, string Type, string ETag)> Assets = Load();

    /// <summary>The names of the embedded files.</summary>
    public static IEnumerable<string> Names => Assets.Keys;

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/assets/{name}", (HttpContext context, string name) =>
        {
            if (!Assets.TryGetValue(name, out (byte[] Bytes, string Type, string ETag) asset))
            {
                return Results.NotFound();
            }

            context.Response.Headers.CacheControl = "no-cache";
            if (context.Request.Headers.IfNoneMatch == asset.ETag)
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            context.Response.Headers.ETag = asset.ETag;
            return Results.Bytes(asset.Bytes, asset.Type);
        });

    private static FrozenDictionary<string, (byte[], string, string)> Load()
    {
        Assembly assembly = typeof(AssetRoutes).Assembly;
        var assets = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            byte[] bytes = copy.ToArray();
            string name = resource[Prefix.Length..];
            string type = Path.GetExtension(name) switch
            {
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                _ => "application/octet-stream",
            };
            assets[name] = (bytes, type, "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..16] + "\"");
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
