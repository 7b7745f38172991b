using Trunk.Numbering;
using Trunk.Policy.Accounts;
using Trunk.Policy.Rates;
using Trunk.Policy.Trunks;

namespace Trunk.Policy.Transfers;

/// <summary>
/// Whether an account may transfer a call on a trunk to a target: the account and trunk, the Refer-To host, then the
/// account's rules (<see cref="TransferPermissions"/>, the same code Signaling decides with from the rules Policy pushes).
/// </summary>
public static class TransferRules
{
    public static TransferVerdict Decide(Account? account, InboundTrunk? trunk, string targetNumber, string referToHost, IReadOnlyList<Rate> rates)
    {
        if (account is null || trunk is null || trunk.AccountId != account.Id)
        {
            return TransferVerdict.Deny(TransferPermissions.Forbidden, "unknown account or trunk");
        }

        return string.Equals(referToHost, trunk.Domain, StringComparison.OrdinalIgnoreCase)
            ? TransferPermissions.Decide(account.TransferRules(rates), targetNumber)
            : TransferVerdict.Deny(TransferPermissions.Forbidden, $"Refer-To host '{referToHost}' is not the trunk's domain");
    }
}
