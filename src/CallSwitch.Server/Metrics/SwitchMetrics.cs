using System.Diagnostics.Metrics;
using CallSwitch.Calls.Recording;
using CallSwitch.Calls.Sessions;
using CallSwitch.Media.Relay;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Server.Metrics;

/// <summary>
/// The switch's counters as <see cref="System.Diagnostics.Metrics"/> instruments of the meter
/// <see cref="MeterName"/> (instrument names without the meter's: exporters prefix it). Every instrument is observable: it reads the counters the transport,
/// the relay legs and the recording service already keep, at collection time only, so the packet
/// path pays nothing. Ended calls' relay counters and finished recordings' drops are added up
/// when a call ends or a recording closes (once per call, never per packet). The collector's
/// behaviour is on the same meter (<see cref="GcMetrics"/>).
/// </summary>
public sealed class SwitchMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CallSwitch";

    private readonly CallRegistry _calls;
    private readonly RecordingService? _recordings;
    private readonly Lock _lock = new();
    private readonly RelayTotals _endedRelay = new();
    private readonly RelayTotals _lastRelay = new();
    private long _callsEnded;
    private long _lastCallsTotal;
    private long _recordingsStarted;
    private long _recordingsFinished;
    private long _tapDrops;
    private readonly GcMetrics _gc;

    /// <summary>Creates the meter and its instruments.</summary>
    /// <param name="transport">The SIP transport (message and error counters).</param>
    /// <param name="calls">The live calls (their relay legs) and the ended ones (raised once each).</param>
    /// <param name="recordings">The recording service; null when recording is not set up.</param>
    public SwitchMetrics(SipTransportLayer transport, CallRegistry calls, RecordingService? recordings)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(calls);
        _calls = calls;
        _recordings = recordings;
        Meter = new Meter(MeterName);
        SipTransportStatistics sip = transport.Statistics;
        Meter.CreateObservableCounter("sip.messages.received", () => sip.Received, "{message}", "SIP messages received, valid or not");
        Meter.CreateObservableCounter("sip.messages.sent", () => sip.Sent, "{message}", "SIP messages sent");
        Meter.CreateObservableCounter(
            "sip.errors",
            () => new[]
            {
                Tagged(sip.Malformed, "kind", "malformed"),
                Tagged(sip.Dropped, "kind", "dropped"),
                Tagged(sip.SendErrors, "kind", "send"),
                Tagged(sip.ErrorResponsesSent, "kind", "error_response"),
                Tagged(sip.FramingErrors, "kind", "framing"),
                Tagged(sip.HandlerErrors, "kind", "handler"),
            },
            "{message}",
            "SIP transport errors by kind");

        Meter.CreateObservableGauge("calls.active", () => _calls.Count, "{call}", "Live calls");
        Meter.CreateObservableCounter("calls.total", CallsTotal, "{call}", "Calls since start (live and ended)");

        Meter.CreateObservableGauge("relay.legs.active", () => Relay().Legs, "{leg}", "Relay legs of live calls");
        Meter.CreateObservableCounter(
            "relay.packets",
            () =>
            {
                RelayTotals r = Relay();
                return new[] { Tagged(r.PacketsIn, "direction", "in"), Tagged(r.PacketsOut, "direction", "out") };
            },
            "{packet}",
            "RTP packets received from and sent to the parties");
        Meter.CreateObservableCounter(
            "relay.dropped",
            () =>
            {
                RelayTotals r = Relay();
                return new[]
                {
                    Tagged(r.DroppedUnexpectedSource, "reason", "unexpected_source"),
                    Tagged(r.DroppedMalformed, "reason", "malformed"),
                    Tagged(r.DroppedPaused, "reason", "paused"),
                    Tagged(r.DroppedContended, "reason", "contended"),
                    Tagged(r.SendErrors, "reason", "send_error"),
                };
            },
            "{packet}",
            "RTP and RTCP datagrams the relay did not forward, by reason");

        Meter.CreateObservableCounter("recordings.started", () => Interlocked.Read(ref _recordingsStarted), "{recording}", "Recordings started");
        Meter.CreateObservableCounter("recordings.finished", () => Interlocked.Read(ref _recordingsFinished), "{recording}", "Recordings closed (complete, incomplete, failed or refused)");
        Meter.CreateObservableCounter("recorder.failures", () => _recordings?.Failures ?? 0, "{recording}", "Recordings that could not start or failed while writing");
        Meter.CreateObservableCounter("recorder.taps.dropped", () => Interlocked.Read(ref _tapDrops), "{packet}", "Packets the recorders' taps dropped (queue full), counted when each recording closes");

        _gc = new GcMetrics(Meter);
        calls.Ended += OnCallEnded;
        if (recordings is not null)
        {
            recordings.Started += OnRecordingStarted;
            recordings.Finished += OnRecordingFinished;
        }
    }

    /// <summary>The meter (an exporter listens to it).</summary>
    public Meter Meter { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        _calls.Ended -= OnCallEnded;
        if (_recordings is not null)
        {
            _recordings.Started -= OnRecordingStarted;
            _recordings.Finished -= OnRecordingFinished;
        }

        _gc.Dispose();
        Meter.Dispose();
    }

    private static Measurement<long> Tagged(long value, string key, string tag) => new(value, new KeyValuePair<string, object?>(key, tag));

    private void OnRecordingStarted(RecordingStarted started) => Interlocked.Increment(ref _recordingsStarted);

    private void OnRecordingFinished(RecordingResult result)
    {
        Interlocked.Increment(ref _recordingsFinished);
        Interlocked.Add(ref _tapDrops, result.DroppedPackets);
    }

    private void OnCallEnded(B2buaCall call)
    {
        lock (_lock)
        {
            _callsEnded++;
            if (call.Media?.Session is { } session)
            {
                _endedRelay.Add(session.LegA.Counters);
                _endedRelay.Add(session.LegB.Counters);
            }
        }
    }

    private long CallsTotal()
    {
        lock (_lock)
        {
            // A call leaves the live set just before its Ended event: never report that instant's dip.
            _lastCallsTotal = Math.Max(_lastCallsTotal, _callsEnded + _calls.Count);
            return _lastCallsTotal;
        }
    }

    /// <summary>Ended calls' totals plus the live calls' legs, never below what was reported before (same dip).</summary>
    private RelayTotals Relay()
    {
        var live = new RelayTotals();
        foreach (B2buaCall call in _calls.Calls)
        {
            if (call.Media?.Session is { } session)
            {
                live.Add(session.LegA.Counters);
                live.Add(session.LegB.Counters);
                live.Legs += 2;
            }
        }

        lock (_lock)
        {
            live.AddTotals(_endedRelay);
            _lastRelay.KeepMax(live);
            return _lastRelay.With(live.Legs);
        }
    }
}
