// These tests run whole switches against real peers and real sockets, and check audio timing on
// the wire: run side by side on a 2-core machine they starve one another's senders and pollers
// (CI saw a test's own RTP sender stall 780 ms). One test class at a time keeps the timing they
// check the switch's, not the test host's.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
