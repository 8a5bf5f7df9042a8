"""연계도우미: the Telegram bot that gets volunteer hours from VMS onto 1365."""
