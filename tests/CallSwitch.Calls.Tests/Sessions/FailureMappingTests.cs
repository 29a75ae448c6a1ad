using CallSwitch.Calls.Sessions;

namespace CallSwitch.Calls.Tests.Sessions;

public class FailureMappingTests
{
    [Theory]
    [InlineData(486, "Busy Here", 486, "Busy Here", CallEnd.NoAnswer)]
    [InlineData(404, "Not Found", 404, "Not Found", CallEnd.Rejected)]
    [InlineData(407, "Proxy Authentication Required", 403, "Proxy Authentication Required", CallEnd.Rejected)]
    [InlineData(500, "Server Error", 502, null, CallEnd.Rejected)]
    [InlineData(503, "Service Unavailable", 503, null, CallEnd.Rejected)]
    [InlineData(603, "Decline", 603, null, CallEnd.NoAnswer)]
    public void ARefusalOfTheCalleeIsMappedForTheCallerWithItsReasonBelow500(int callee, string reason, int status, string? callerReason, CallEnd end) =>
        Assert.Equal((status, callerReason, end), FailureMapping.ForCalleeFailure(callee, reason, timedOut: false));

    [Fact]
    public void NoAnswerInTimeIs408AndAnUnreachableCallee503()
    {
        Assert.Equal((408, (string?)null, CallEnd.NoAnswer), FailureMapping.ForCalleeFailure(null, null, timedOut: true));
        Assert.Equal((503, (string?)"Callee Unreachable", CallEnd.Failed), FailureMapping.ForCalleeFailure(null, null, timedOut: false));
    }
}
