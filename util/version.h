#ifndef LG_VERSION_H
#define LG_VERSION_H

#define LEADGATE_VERSION "0.1.0"

#endif
