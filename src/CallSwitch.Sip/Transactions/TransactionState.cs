namespace CallSwitch.Sip.Transactions;

/// <summary>The states of the four transaction machines (RFC 3261 §17, Figures 5 to 8, with RFC 6026 Accepted).</summary>
public enum TransactionState
{
    /// <summary>INVITE client: request sent, no response yet.</summary>
    Calling,

    /// <summary>Non-INVITE client: request sent, no response; non-INVITE server: request received, no response sent.</summary>
    Trying,

    /// <summary>A provisional response was received (client) or sent (server).</summary>
    Proceeding,

    /// <summary>A final response (300-699 for INVITE, any final for non-INVITE) was received or sent; absorbing retransmissions.</summary>
    Completed,

    /// <summary>INVITE server: the ACK for a non-2xx final response arrived (RFC 3261 §17.2.1).</summary>
    Confirmed,

    /// <summary>INVITE client or server: a 2xx passed; 2xx retransmissions and ACKs go to the TU (RFC 6026 §7.1, §7.2).</summary>
    Accepted,

    /// <summary>The transaction is over and has left the transaction table.</summary>
    Terminated,
}
