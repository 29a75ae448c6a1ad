using System.Text.RegularExpressions;
using CallSwitch.Compliance.Numbers;
using Serilog.Core;
using Serilog.Events;

namespace CallSwitch.Server.Logging;

/// <summary>
/// Masks phone numbers in every log event's text properties (a Request-URI, a dialled number, a
/// prospect's number): a run of 6 to 15 digits, with an optional '+', that is not part of a word,
/// an address or an id (no letter, digit, '.', '-' or '_' beside it) becomes its
/// <see cref="PhoneNumberMask"/> form, <c>sip:+33612345678@host</c> → <c>sip:+*********78@host</c>.
/// Ports (at most 5 digits), IP addresses, GUIDs and hashes are left alone. So erasing a number
/// never has to chase it through log files; <c>logging.unmask_numbers</c> turns this off.
/// </summary>
/// <remarks>Stateless and thread-safe; runs on the logging thread of each event.</remarks>
public sealed partial class NumberMaskingEnricher : ILogEventEnricher
{
    /// <inheritdoc />
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        List<LogEventProperty>? changed = null;
        foreach ((string name, LogEventPropertyValue value) in logEvent.Properties)
        {
            if (Masked(value) is { } masked)
            {
                (changed ??= []).Add(new LogEventProperty(name, masked));
            }
        }

        foreach (LogEventProperty property in changed ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The text with every phone-like run of digits masked.</summary>
    public static string Mask(string text) =>
        PhoneLike().Replace(text, m => PhoneNumberMask.Mask(m.Value));

    /// <summary>The value with its numbers masked; null when it holds none.</summary>
    private static LogEventPropertyValue? Masked(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text } when PhoneLike().IsMatch(text):
                return new ScalarValue(Mask(text));
            case SequenceValue sequence when sequence.Elements.Any(e => Masked(e) is not null):
                return new SequenceValue(sequence.Elements.Select(e => Masked(e) ?? e));
            case StructureValue structure when structure.Properties.Any(p => Masked(p.Value) is not null):
                return new StructureValue(structure.Properties.Select(p => Masked(p.Value) is { } m ? new LogEventProperty(p.Name, m) : p), structure.TypeTag);
            default:
                return null;
        }
    }

    [GeneratedRegex(@"(?<![\w.\-+])\+?\d{6,15}(?![\w.\-])", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneLike();
}
