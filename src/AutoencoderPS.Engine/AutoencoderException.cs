using System;

namespace AutoencoderPS.Engine
{
    /// <summary>Base of the engine's own errors; <see cref="ErrorId"/> is stable and specific.</summary>
    public class AutoencoderException : Exception
    {
        public AutoencoderException(string errorId, string message, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
        }

        public string ErrorId { get; }
    }
}
