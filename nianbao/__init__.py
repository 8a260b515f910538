"""nianbao: collect, check and add up government information-disclosure annual reports."""

from nianbao import _accel

_accel.install()  # the compiled parser, unless its build is older than the source
