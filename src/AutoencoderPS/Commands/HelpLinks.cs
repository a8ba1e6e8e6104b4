namespace AutoencoderPS.Commands
{
    /// <summary>
    /// Where <c>Get-Help -Online</c> sends a reader: each cmdlet's help page (module/help/&lt;Cmdlet&gt;.md) in the project's
    /// repository, the ProjectUri of the module manifest. A Pester test keeps the two in step.
    /// </summary>
    internal static class HelpLinks
    {
        public const string Base = "https://github.com/autoencoderps/AutoencoderPS/blob/main/module/help/";
    }
}
