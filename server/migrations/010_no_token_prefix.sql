-- No part of a device token is kept in the clear: the prefix column (001) stays empty.
UPDATE device SET token_prefix = '';
