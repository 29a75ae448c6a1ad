using CallSwitch.Media.Codecs;
using CallSwitch.Media.Relay;

namespace CallSwitch.Calls.Media;

/// <summary>Lets the relay call a codec <see cref="Transcoder"/> (one per direction of a call).</summary>
internal sealed class TranscoderAdapter : IPayloadTranscoder
{
    private readonly Transcoder _transcoder;

    public TranscoderAdapter(Transcoder transcoder) => _transcoder = transcoder;

    public int GetMaxOutputLength(int inputLength) => _transcoder.GetOutputLength(inputLength);

    public int Transcode(ReadOnlySpan<byte> inputPayload, Span<byte> outputPayload) => _transcoder.Transcode(inputPayload, outputPayload);
}
