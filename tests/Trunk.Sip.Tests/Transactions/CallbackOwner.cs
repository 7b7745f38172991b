using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;

namespace Trunk.Sip.Tests.Transactions;

/// <summary>
/// A client transaction's owner that hands what it reports to the test's callbacks; after the final response the
/// transaction reports to <paramref name="successor"/>, or to this owner when there is none.
/// </summary>
internal sealed class CallbackOwner(Action<SipResponse> onResponse, Action<TransactionFailure>? onFailure = null,
    IClientTransactionOwner? successor = null) : IClientTransactionOwner
{
    public void OnResponse(ClientTransaction transaction, SipResponse response) => onResponse(response);

    public void OnFailure(ClientTransaction transaction, TransactionFailure failure) => onFailure?.Invoke(failure);

    public IClientTransactionOwner Successor => successor ?? this;
}
